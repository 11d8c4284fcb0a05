package org.provproxy.backend;

import static org.provproxy.sharing.SharedRegion.Codec.readBytes;
import static org.provproxy.sharing.SharedRegion.Codec.readNullable;
import static org.provproxy.sharing.SharedRegion.Codec.writeBytes;
import static org.provproxy.sharing.SharedRegion.Codec.writeNullable;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import org.provproxy.sharing.SharedCache;
import org.provproxy.sharing.SharedRegion;
import org.provproxy.sharing.SharedRegion.Found;

/**
 * XSI and DMS answers shared by the replicas ({@code provisioning.shared-cache}), behind each replica's own cache
 * ({@link BackendCache}): status, Content-Type, body bytes and Retry-After, never the parsed tree (a replica
 * parses the bytes it gets, and checks them as it checks its own calls). Only reusable answers are shared, for
 * the call's TTL; one replica calls the backend for a key while the others wait for its answer.
 */
final class SharedAnswers {

    private final SharedRegion<BackendAnswer> region;

    SharedAnswers(SharedCache shared) {
        this.region = shared.region("documents", new AnswerCodec());
    }

    /**
     * The answer to {@code call}, checked: kept by the cluster, or fetched by {@code fetch} (already checking)
     * under the key's claim, or by the replica holding the claim, waited for until {@code deadlineNanos} (then a
     * {@link java.util.concurrent.TimeoutException}). A claim lasts the call's budget, {@code claimFor}.
     */
    CompletableFuture<Found<BackendAnswer>> answer(BackendCall call, Duration claimFor, long deadlineNanos,
                                                   Executor executor, Supplier<CompletableFuture<BackendAnswer>> fetch,
                                                   UnaryOperator<BackendAnswer> checked) {
        return region.getOrFetch(call.cacheKey(), call.ttl(), claimFor, deadlineNanos, executor, fetch,
                answer -> answer.reusable(call)).thenApply(found -> found.kept()
                ? new Found<>(checked.apply(found.value()), found.remaining(), true) : found);
    }

    /** Forgets the answer kept under {@code key} on every replica (not waited for). */
    void forget(String key) {
        region.remove(key);
    }

    /** An answer's bytes, as the backend sent them (the first byte of the region's envelope versions them). */
    static final class AnswerCodec implements SharedRegion.Codec<BackendAnswer> {

        @Override
        public void write(BackendAnswer answer, DataOutput out) throws IOException {
            out.writeShort(answer.status());
            writeNullable(answer.contentType(), out);
            writeNullable(answer.retryAfter(), out);
            writeBytes(answer.body(), out);
        }

        @Override
        public BackendAnswer read(DataInput in) throws IOException {
            int status = in.readShort();
            String contentType = readNullable(in);
            String retryAfter = readNullable(in);
            byte[] body = readBytes(in);
            return new BackendAnswer(status, contentType, body, retryAfter, 0, true, null);
        }
    }
}
