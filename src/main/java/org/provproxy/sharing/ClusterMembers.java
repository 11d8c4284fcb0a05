package org.provproxy.sharing;

import java.util.ArrayList;
import java.util.List;

import org.infinispan.lifecycle.ComponentStatus;
import org.infinispan.manager.EmbeddedCacheManager;
import org.infinispan.notifications.Listener;
import org.infinispan.notifications.cachemanagerlistener.annotation.ViewChanged;
import org.infinispan.notifications.cachemanagerlistener.event.ViewChangedEvent;
import org.infinispan.remoting.transport.Address;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * The replicas sharing the cache, as the cluster sees them: each join and departure logged at INFO, and the health
 * component {@code sharedCache} (members, cluster name, this replica). A replica alone is still UP: it serves from
 * its own caches, and the cluster merges when the others are reachable again; DOWN only when its cache manager
 * does not run.
 */
@Listener
public final class ClusterMembers implements HealthIndicator {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterMembers.class);

    private volatile EmbeddedCacheManager manager;

    /** Watches {@code started}'s cluster from now on (the listener was added before it started). */
    void watch(EmbeddedCacheManager started) {
        this.manager = started;
        LOG.info("shared cache: replica {} in cluster '{}' with {} member(s): {}", started.getAddress(),
                started.getClusterName(), members(started).size(), members(started));
    }

    @ViewChanged
    public void viewChanged(ViewChangedEvent event) {
        List<Address> joined = new ArrayList<>(event.getNewMembers());
        joined.removeAll(event.getOldMembers());
        List<Address> left = new ArrayList<>(event.getOldMembers());
        left.removeAll(event.getNewMembers());
        LOG.info("shared cache: {}{}now {} member(s): {}", joined.isEmpty() ? "" : "joined " + joined + ", ",
                left.isEmpty() ? "" : "left " + left + ", ", event.getNewMembers().size(), event.getNewMembers());
    }

    /** How many replicas share the cache now (this one included); 0 before the cluster started. */
    public int size() {
        EmbeddedCacheManager known = manager;
        return known == null ? 0 : members(known).size();
    }

    @Override
    public Health health() {
        EmbeddedCacheManager known = manager;
        if (known == null || known.getStatus() != ComponentStatus.RUNNING) {
            return Health.down().withDetail("status", known == null ? "starting" : known.getStatus().name()).build();
        }
        List<Address> members = members(known);
        return Health.up().withDetail("clusterName", known.getClusterName())
                .withDetail("members", members.size())
                .withDetail("replica", String.valueOf(known.getAddress()))
                .withDetail("memberNames", members.stream().map(String::valueOf).toList()).build();
    }

    private static List<Address> members(EmbeddedCacheManager manager) {
        List<Address> members = manager.getMembers();
        return members == null ? List.of() : members;
    }
}
