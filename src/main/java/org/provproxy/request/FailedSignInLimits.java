package org.provproxy.request;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.provproxy.config.ProvisioningProperties;
import org.provproxy.failure.Failure;
import org.provproxy.failure.FailureKind;
import org.provproxy.failure.ProvisioningFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Limits failed sign-ins per user id and per client address ({@code provisioning.failed-sign-ins}), so the proxy
 * cannot be used to guess passwords nor to lock BroadWorks accounts by failing for someone else. Each is a token
 * bucket (Bucket4j, refilled evenly over the period) kept in a bounded Caffeine cache, forgotten a period after its
 * last use, when it would be full again.
 * <p>
 * A sign-in takes one attempt from both before XSI is called and gives it back when its exchange completes with
 * anything but wrong credentials or an unknown user: so a success costs nothing, while a burst of guesses in
 * parallel cannot get past the limit before the first of them has failed. Nothing here sees a password.
 */
@Component("failedSignInLimits")
public class FailedSignInLimits {

    private static final Logger LOG = LoggerFactory.getLogger(FailedSignInLimits.class);
    private final ProvisioningProperties.FailedSignIns settings;
    private final Cache<String, Bucket> users;
    private final Cache<String, Bucket> addresses;

    public FailedSignInLimits(ProvisioningProperties properties) {
        this.settings = properties.getFailedSignIns();
        this.users = cache(settings);
        this.addresses = cache(settings);
    }

    private static Cache<String, Bucket> cache(ProvisioningProperties.FailedSignIns settings) {
        return Caffeine.newBuilder().maximumSize(settings.getMaxEntries()).expireAfterAccess(settings.getPeriod())
                .build();
    }

    /**
     * Admits a sign-in of {@code userId} from {@code address} on {@code exchange}, or refuses it (429, Retry-After)
     * when either has no failed sign-in left in the period.
     */
    public void admit(String userId, String address, Exchange exchange) {
        Bucket user = take(users, userId.toLowerCase(Locale.ROOT), settings.getPerUser(), "user " + userId);
        Bucket client;
        try {
            client = take(addresses, address, settings.getPerAddress(), "address " + address);
        } catch (ProvisioningFailure refused) {
            giveBack(user);
            throw refused;
        }
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                Failure failure = done.getVariable("failure", Failure.class);
                if (failure == null || !counts(failure.kind())) {
                    giveBack(user);
                    giveBack(client);
                }
            }
        });
    }

    /** What XSI says of a sign-in with a guessed password or user name. */
    static boolean counts(FailureKind kind) {
        return kind == FailureKind.WRONG_CREDENTIALS || kind == FailureKind.USER_GONE;
    }

    /** One attempt from the bucket of {@code key}; null when that limit is off. */
    private Bucket take(Cache<String, Bucket> buckets, String key, int limit, String who) {
        if (limit <= 0) {
            return null;
        }
        Duration period = settings.getPeriod();
        Bucket bucket = buckets.get(key, k -> Bucket.builder()
                .addLimit(l -> l.capacity(limit).refillGreedy(limit, period)).build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
            // who, for the operator: the refusal's own log line knows no sign-in yet
            LOG.info("sign-in refused before XSI: too many failed sign-ins of {} (retry after {} s)", who, seconds);
            throw new ProvisioningFailure(FailureKind.TOO_MANY_FAILED_SIGN_INS,
                    "too many failed sign-ins of " + who, Map.of("Retry-After", String.valueOf(seconds)));
        }
        return bucket;
    }

    private static void giveBack(Bucket bucket) {
        if (bucket != null) {
            bucket.addTokens(1);
        }
    }
}
