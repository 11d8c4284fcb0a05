package org.provproxy.account;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.apache.camel.Body;
import org.apache.camel.Variable;
import org.provproxy.backend.EntryLifetime;
import org.provproxy.config.ProvisioningProperties;
import org.provproxy.request.SignIn;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The last good Account XML of each user (key: tenant, user, platform, credential HMAC), served for up to
 * {@code stale-if-error} while XSI or the DMS fail transiently. The routes read and write it through the
 * camel-caffeine component ({@code caffeine-cache:lastGoodAccounts}); this class makes the cache, whose entries
 * expire after their own tenant's stale-if-error, and the stored entries.
 */
@Configuration(proxyBeanMethods = false)
public class LastGoodAccountStore {

    @Bean("lastGoodAccounts")
    Cache<String, Object> lastGoodAccounts(ProvisioningProperties properties) {
        return Caffeine.newBuilder()
                .maximumSize(properties.getCache().getMaxEntries())
                .expireAfter(new EntryLifetime<String, Object>(value -> ((Stored) value).keep()))
                .build();
    }

    @Bean("storedAccounts")
    StoredAccounts storedAccounts() {
        return new StoredAccounts();
    }

    /** A stored answer: the account (or global answer) as sent, its version, how long it may be served stale. */
    public record Stored(byte[] body, AccountVersion version, Duration keep) {
    }

    public static class StoredAccounts {

        /** The entry for the answer about to be sent. */
        public Stored of(@Body byte[] body, @Variable("version") AccountVersion version,
                         @Variable("signIn") SignIn signIn) {
            return new Stored(body, version, signIn.tenant().staleIfError());
        }
    }
}
