package org.provproxy.backend;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.provproxy.config.ProvisioningProperties;
import org.springframework.stereotype.Component;

/**
 * The rules both backend clients follow, XSI (camel-http, {@link XsiHttpSettings}) and the DMS
 * ({@link DeviceFileClient}): an answer is read whole, but at most {@code provisioning.backend-max-answer-size}
 * bytes after decompression; a larger one fails with {@link AnswerTooLarge} and its connection is closed, not
 * drained.
 */
@Component("backendHttp")
public class BackendHttp {

    private final long maxAnswerBytes;

    public BackendHttp(ProvisioningProperties properties) {
        this.maxAnswerBytes = properties.getBackendMaxAnswerSize().toBytes();
    }

    /** The largest answer read, in bytes after decompression. */
    public long maxAnswerBytes() {
        return maxAnswerBytes;
    }

    /** Applies the rules to a client being built. */
    public HttpClientBuilder configure(HttpClientBuilder builder) {
        // first = outermost: the answer this handler reads is already decompressed (ContentCompressionExec is
        // inside), so a small gzip answer that inflates to gigabytes is counted as it inflates
        return builder.addExecInterceptorFirst("provisioning-bounded-answer", new BoundedAnswer());
    }

    /** The answer was larger than {@code provisioning.backend-max-answer-size} (after decompression). */
    public static final class AnswerTooLarge extends IOException {
        AnswerTooLarge(long limit) {
            super("answer larger than " + limit + " bytes");
        }
    }

    /** Reads the answer's body here, up to the limit, so that nothing after it ever holds more. */
    private final class BoundedAnswer implements ExecChainHandler {

        @Override
        public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
                throws IOException, HttpException {
            ClassicHttpResponse response = chain.proceed(request, scope);
            try {
                HttpEntity entity = response.getEntity();
                if (entity != null) {
                    response.setEntity(new ByteArrayEntity(read(entity),
                            ContentType.parseLenient(entity.getContentType()), entity.getContentEncoding()));
                }
                return response;
            } catch (IOException | RuntimeException e) {
                // the connection is closed first, so that closing the answer does not read the rest of it
                scope.execRuntime.discardEndpoint();
                closeQuietly(response, e);
                throw e;
            }
        }

        private static void closeQuietly(ClassicHttpResponse response, Exception failure) {
            try {
                response.close();
            } catch (IOException | RuntimeException closing) {
                failure.addSuppressed(closing);
            }
        }

        /** The whole body; fails past the limit (the caller closes the connection then, unread). */
        private byte[] read(HttpEntity entity) throws IOException {
            long declared = entity.getContentLength();
            if (declared > maxAnswerBytes) {
                throw new AnswerTooLarge(maxAnswerBytes);
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream(declared > 0 ? (int) declared : 8192);
            InputStream in = entity.getContent();
            if (in == null) {
                return new byte[0];
            }
            byte[] buffer = new byte[8192];
            long total = 0;
            for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
                total += n;
                if (total > maxAnswerBytes) {
                    throw new AnswerTooLarge(maxAnswerBytes);
                }
                body.write(buffer, 0, n);
            }
            in.close();
            return body.toByteArray();
        }
    }
}
