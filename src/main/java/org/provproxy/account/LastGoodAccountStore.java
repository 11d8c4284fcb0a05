package org.provproxy.account;

import org.provproxy.backend.EntryLifetime;
import org.provproxy.config.ProvisioningProperties;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.apache.camel.Exchange;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The last good Account XML of each user (key: tenant, user, platform, credential HMAC), served for up to
 * {@code stale-if-error} while XSI or the DMS fail transiently. The routes read and write it through the
 * camel-caffeine component ({@code caffeine-cache:lastGoodAccounts}); this class makes the cache, whose entries
 * expire after their own tenant's stale-if-error, and converts between the exchange and a stored entry.
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

    /** A stored answer: the account as sent, its validators, and how long it may be served stale. */
    public record Stored(byte[] body, String etag, String lastModified, Duration keep) {
    }

    public static class StoredAccounts {

        /** The entry for the account about to be sent (body = account bytes). */
        public Stored of(Exchange exchange) {
            return new Stored(exchange.getMessage().getBody(byte[].class), exchange.getProperty("etag", String.class),
                    exchange.getProperty("lastModified", String.class),
                    exchange.getProperty("staleIfError", Duration.class));
        }

        /** Puts a stored entry (the body) back as the account to send, with its validators. */
        public void restore(Exchange exchange) {
            Stored stored = exchange.getMessage().getBody(Stored.class);
            exchange.setProperty("etag", stored.etag());
            exchange.setProperty("lastModified", stored.lastModified());
            exchange.getMessage().setBody(stored.body());
        }
    }
}
