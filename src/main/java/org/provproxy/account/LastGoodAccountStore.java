package org.provproxy.account;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.apache.camel.Body;
import org.apache.camel.Variable;
import org.provproxy.backend.EntryLifetime;
import org.provproxy.config.ProvisioningProperties;
import org.provproxy.request.SignIn;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The last good Account XML of each user (key: tenant, user, platform, credential HMAC), served for up to
 * {@code stale-if-error} while XSI or the DMS fail transiently. Every answer sent is remembered here
 * ({@link StoredAccounts#remember}, a plain put: it runs for every sign-in); the failure path reads it through the
 * camel-caffeine component ({@code caffeine-cache:lastGoodAccounts}). Entries expire after their own tenant's
 * stale-if-error.
 */
@Configuration(proxyBeanMethods = false)
public class LastGoodAccountStore {

    @Bean("lastGoodAccounts")
    Cache<String, Object> lastGoodAccounts(ProvisioningProperties properties) {
        return Caffeine.newBuilder()
                .maximumSize(properties.getCache().getMaxEntries())
                .expireAfter(new EntryLifetime<String, Object>(value -> ((Stored) value).keep()))
                .recordStats()
                .build();
    }

    @Bean("storedAccounts")
    StoredAccounts storedAccounts(@Qualifier("lastGoodAccounts") Cache<String, Object> lastGoodAccounts) {
        return new StoredAccounts(lastGoodAccounts);
    }

    /** A stored answer: the account (or global answer) as sent, its version, how long it may be served stale. */
    public record Stored(byte[] body, AccountVersion version, Duration keep) {
    }

    public static class StoredAccounts {

        private final Cache<String, Object> lastGoodAccounts;

        StoredAccounts(Cache<String, Object> lastGoodAccounts) {
            this.lastGoodAccounts = lastGoodAccounts;
        }

        /** Keeps the answer about to be sent, unless the tenant serves no stale answers. */
        public void remember(@Body byte[] body, @Variable("version") AccountVersion version,
                             @Variable("signIn") SignIn signIn) {
            Duration keep = signIn.tenant().staleIfError();
            if (keep != null && !keep.isZero() && !keep.isNegative()) {
                lastGoodAccounts.put(signIn.lastGoodKey(), new Stored(body, version, keep));
            }
        }
    }
}
