package org.provproxy.request;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.provproxy.config.TenantSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Platform names the proxy did not recognise (provisioned as mobile), each logged once so an operator learns of
 * a new app value and can map it ({@code platform-aliases}). Bounded: a flood of made-up names costs a few lines
 * and a small set, not a line per request.
 */
final class UnknownPlatforms {

    private static final Logger LOG = LoggerFactory.getLogger(UnknownPlatforms.class);
    /** A name is the app's string: shown cut short, and only with characters that cannot forge a log line. */
    private static final int SHOWN_LENGTH = 40;

    private final int limit;
    private final Set<String> logged = ConcurrentHashMap.newKeySet();

    UnknownPlatforms(int limit) {
        this.limit = limit;
    }

    /** Logs {@code name} the first time it is seen, while fewer than the limit were; true if it logged. */
    boolean note(String name, String tenant) {
        String key = TenantSettings.platformKey(name);
        if (key.length() > SHOWN_LENGTH) {
            key = key.substring(0, SHOWN_LENGTH);
        }
        if (logged.size() >= limit || !logged.add(key)) {
            return false;
        }
        String shown = name.strip().replaceAll("[^\\p{L}\\p{N} ._+()/-]", "?");
        LOG.info("platform name '{}' (tenant={}) is not one the proxy knows: provisioned as mobile; map it with "
                        + "provisioning.tenants.{}.platform-aliases if that is wrong{}",
                shown.length() > SHOWN_LENGTH ? shown.substring(0, SHOWN_LENGTH) + "…" : shown, tenant, tenant,
                logged.size() >= limit ? " (further unknown platform names are not logged)" : "");
        return true;
    }
}
