package org.provproxy.failure;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/** The body of every non-2xx answer: {@code <error><message>…</message></error>}, as Cloud Softphone shows it. */
@JacksonXmlRootElement(localName = "error")
public record ErrorAnswer(String message) {
}
