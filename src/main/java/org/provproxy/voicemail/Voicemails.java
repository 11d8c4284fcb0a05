package org.provproxy.voicemail;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import javax.xml.stream.XMLStreamException;

import net.sf.saxon.s9api.BuildingStreamWriter;
import net.sf.saxon.s9api.Processor;
import net.sf.saxon.s9api.SaxonApiException;
import net.sf.saxon.s9api.XdmNode;
import net.sf.saxon.s9api.streams.Predicates;
import net.sf.saxon.s9api.streams.Steps;
import org.apache.camel.Variable;
import org.provproxy.account.ContentVersions;
import org.provproxy.account.AccountVersion;
import org.provproxy.account.AccountVersions;
import org.provproxy.failure.ProvisioningFailure;
import org.provproxy.request.SignIn;
import org.provproxy.shaping.Stylesheets;
import org.provproxy.walk.Walk;
import org.provproxy.walk.WalkDocumentBuilder;
import org.springframework.stereotype.Component;

/**
 * The voicemail list (xslt/voicemail.xsl on the walk of VoiceMessagingMessages and MessageSummary), in the app's
 * format (XML, or JSON by Accept). Each listed message carries its opaque id and a signed audio URL
 * ({@link AudioLinks}): the stylesheet cannot seal, so the ids and URLs are made here and join the walk document as
 * part {@code voicemail-links}: {@code <voicemail-links><links><message path="XSI messageId, whitespace removed"
 * id=".." url=".."/></links></voicemail-links>}.
 * <p>
 * The URLs are sealed anew for every answer, so the ETag cannot be over the answer as sent: it is the SHA-256 of
 * the same answer shaped without URLs (ids only). An unchanged mailbox thus answers 304 without sealing anything;
 * only a 200 seals the links and shapes again.
 */
@Component("voicemail")
public class Voicemails {

    /** The XSI resources of the list, below the user: what a change must make the next list read anew. */
    public static final String MESSAGES = "VoiceMessagingMessages";
    public static final String SUMMARY = "calls/MessageSummary";
    static final String LINKS_PART = "voicemail-links";

    private final Stylesheets stylesheets;
    private final WalkDocumentBuilder walkDocuments;
    private final AudioLinks audioLinks;
    private final Processor saxon;

    public Voicemails(Stylesheets stylesheets, WalkDocumentBuilder walkDocuments, AudioLinks audioLinks,
                      Processor saxon) {
        this.stylesheets = stylesheets;
        this.walkDocuments = walkDocuments;
        this.audioLinks = audioLinks;
        this.saxon = saxon;
    }

    /**
     * The list's version: ETag over the list without its audio URLs, Last-Modified the time of this answer (XSI
     * says when messages arrived, not when one was read or deleted, so no better time is known: a 304 is decided
     * by If-None-Match alone), and whether the app's copy still stands.
     */
    public AccountVersion version(@Variable("signIn") SignIn signIn, @Variable("walk") Walk walk) throws Exception {
        walk.requireSucceeded();
        walk.keep(LINKS_PART, links(walk, null));
        String etag = AccountVersions.etag(ContentVersions.checksum(shape(signIn, walk)));
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return new AccountVersion(etag, AccountVersions.httpDate(now), null,
                AccountVersions.notModified(signIn.caller().ifNoneMatch(), null, etag, now));
    }

    /** The list as sent: every listed message with its signed audio URL, in the caller's format. */
    public byte[] body(@Variable("signIn") SignIn signIn, @Variable("walk") Walk walk) throws Exception {
        walk.keep(LINKS_PART, links(walk, signIn));
        return shape(signIn, walk);
    }

    private byte[] shape(SignIn signIn, Walk walk) throws Exception {
        return stylesheets.transformToBytes(signIn.tenant().key(), "voicemail.xsl", walkDocuments.build(signIn, walk),
                Map.of("format", signIn.caller().json() ? "json" : "xml"));
    }

    /**
     * One {@code <message path id [url]>} per XSI message that can be acted on: it has a messageId whose last
     * segment is an id this proxy hands out ({@link AudioLinks#requireId}); a message without one is left out of
     * the list (it could be neither played, marked nor deleted). URLs only when {@code signIn} is given.
     */
    XdmNode links(Walk walk, SignIn signIn) throws SaxonApiException, XMLStreamException {
        BuildingStreamWriter out = saxon.newDocumentBuilder().newBuildingStreamWriter();
        out.writeStartDocument();
        out.writeStartElement("links");
        XdmNode messages = walk.part("voicemail").orElse(null);
        if (messages != null) {
            for (XdmNode messageId : messages.select(Steps.descendant(Predicates.hasLocalName("messageId")))
                    .toList()) {
                String path = messageId.getStringValue().replaceAll("\\s+", "");
                String id = actionable(AudioLinks.idOf(path));
                if (id == null) {
                    continue;
                }
                out.writeStartElement("message");
                out.writeAttribute("path", path);
                out.writeAttribute("id", id);
                if (signIn != null) {
                    out.writeAttribute("url", audioLinks.url(signIn, id));
                }
                out.writeEndElement();
            }
        }
        out.writeEndElement();
        out.writeEndDocument();
        out.close();
        return out.getDocumentNode();
    }

    private static String actionable(String id) {
        try {
            return AudioLinks.requireId(id);
        } catch (ProvisioningFailure notAnId) {
            return null;
        }
    }

}
