package org.provproxy.request;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.provproxy.config.ProvisioningProperties;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Before any route reads a request body: it must be a web form ({@code application/x-www-form-urlencoded}, what
 * the app posts), else 415, and no larger than {@code provisioning.max-request-size}, else 413 (a body without a
 * length, chunked, is read up to the limit). Both refusals are answered by the error page (failure/UnroutedErrors)
 * as {@code <error><message>}. The form is read here, whole, and kept as request attribute {@link #FORM} for
 * {@link RequestParameters}; what follows sees an empty body, so platform-http neither reads a form past the web
 * server's form size limit nor parses it into message headers (joining repeated parameters, failing on a pair
 * without '=').
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class FormBodyFilter extends OncePerRequestFilter {

    /** Request attribute holding the form body as the app sent it (bytes, still percent-encoded). */
    public static final String FORM = FormBodyFilter.class.getName() + ".form";

    private final ProvisioningProperties properties;

    public FormBodyFilter(ProvisioningProperties properties) {
        this.properties = properties;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long length = request.getContentLengthLong();
        if (length <= 0 && request.getHeader("Transfer-Encoding") == null) {
            chain.doFilter(request, response);
            return;
        }
        if (!isForm(request.getContentType())) {
            response.sendError(HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE);
            return;
        }
        long limit = properties.getMaxRequestSize().toBytes();
        if (length > limit) {
            response.sendError(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
            return;
        }
        int toRead = (int) (length >= 0 ? length : Math.min(limit + 1, Integer.MAX_VALUE - 8));
        byte[] body = request.getInputStream().readNBytes(toRead);
        if (body.length > limit) {
            response.sendError(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
            return;
        }
        request.setAttribute(FORM, body);
        chain.doFilter(new ReadBody(request, new byte[0]), response);
    }

    private static boolean isForm(String contentType) {
        try {
            return contentType != null
                    && MediaType.APPLICATION_FORM_URLENCODED.equalsTypeAndSubtype(MediaType.parseMediaType(contentType));
        } catch (InvalidMediaTypeException malformed) {
            return false;
        }
    }

    /** The request with its body already read: what follows reads {@code body} instead. */
    private static final class ReadBody extends HttpServletRequestWrapper {

        private final byte[] body;

        ReadBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the body is already read");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.ISO_8859_1 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
