package org.provproxy.walk;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DMS hosts a device's deviceTypeUrl named that are not in the tenant's dms-hosts: each logged once per tenant,
 * for the administrator, so a misconfigured device type (or someone trying to get device credentials sent
 * elsewhere) costs one line, not one per request. Bounded: a flood of made-up hosts costs a few lines.
 */
final class RefusedDmsHosts {

    private static final Logger LOG = LoggerFactory.getLogger(RefusedDmsHosts.class);

    private final int limit;
    private final Set<String> logged = ConcurrentHashMap.newKeySet();

    RefusedDmsHosts(int limit) {
        this.limit = limit;
    }

    /** Logs the refusal the first time this tenant's device names this host; true if it logged. */
    boolean note(String tenant, String host, String deviceName, Set<String> allowed) {
        if (logged.size() >= limit || !logged.add(tenant + "|" + host)) {
            return false;
        }
        LOG.warn("tenant={} device={}: its deviceTypeUrl names DMS host {}, which is not in "
                        + "provisioning.tenants.{}.dms-hosts {}: the device file is not fetched (409) and the device's "
                        + "credentials are not sent there. If that host is your DMS, add it. Logged once per host{}",
                tenant, shown(deviceName), shown(host), tenant, allowed,
                logged.size() >= limit ? " (further refused hosts are not logged)" : "");
        return true;
    }

    /** Platform data goes to the log: cut short, and without characters that could forge a log line. */
    private static String shown(String text) {
        String safe = text == null ? "" : text.replaceAll("[^\\x21-\\x7e]", "?");
        return safe.length() > 100 ? safe.substring(0, 100) + "..." : safe;
    }
}
