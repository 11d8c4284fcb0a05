package org.provproxy.sharing;

import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.infinispan.configuration.global.GlobalConfigurationBuilder;
import org.infinispan.configuration.global.ShutdownHookBehavior;
import org.infinispan.configuration.parsing.ConfigurationBuilderHolder;
import org.infinispan.manager.DefaultCacheManager;
import org.infinispan.manager.EmbeddedCacheManager;
import org.infinispan.remoting.transport.jgroups.JGroupsTransport;
import org.provproxy.account.AccountTokens;
import org.provproxy.config.ProvisioningProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Starts the replicas' cluster when {@code provisioning.shared-cache.enabled}; otherwise none of these beans exists
 * and nothing of Infinispan starts (each feature keeps its Caffeine cache alone). The start is bounded: the
 * replica looks for the others for {@code join-timeout} (a few join attempts at most), and alone past it forms a
 * cluster of its own, which merges with the others once they are reachable (MERGE3).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "provisioning.shared-cache", name = "enabled", havingValue = "true")
class SharedCacheConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(SharedCacheConfiguration.class);

    /** The health component {@code sharedCache}, which also logs members joining and leaving. */
    @Bean("sharedCache")
    ClusterMembers sharedCache() {
        return new ClusterMembers();
    }

    @Bean(destroyMethod = "stop")
    EmbeddedCacheManager sharedCacheManager(ProvisioningProperties properties, ClusterMembers members,
                                            AccountTokens tokens) throws Exception {
        ProvisioningProperties.SharedCache settings = properties.getSharedCache();
        GlobalConfigurationBuilder global = GlobalConfigurationBuilder.defaultClusteredBuilder();
        // the node's name in logs and health: the host (a pod's name) and a suffix, unique per start
        String host = System.getenv().getOrDefault("HOSTNAME", "replica");
        global.transport().clusterName(settings.getClusterName())
                .nodeName(host + "-" + UUID.randomUUID().toString().substring(0, 6))
                .transport(new JGroupsTransport(ClusterStack.channel(settings,
                        // the first token key's: replicas in a rolling key rotation form two clusters meanwhile
                        tokens.subkeys(ClusterStack.CLUSTER_KEY).values().iterator().next())))
                .initialClusterSize(1).initialClusterTimeout(settings.getJoinTimeout().toMillis(),
                        TimeUnit.MILLISECONDS)
                // how long a cache's start waits for the cluster's coordinator (4 minutes by default): a replica
                // whose cluster does not answer fails its start within a minute rather than hanging
                .distributedSyncTimeout(1, TimeUnit.MINUTES);
        // Spring stops it with the context (after the last request), not the JVM's hook before
        global.shutdown().hookBehavior(ShutdownHookBehavior.DONT_REGISTER);
        global.cacheContainer().statistics(false);
        global.jmx().disable();
        // through a holder: a GlobalConfiguration handed over is copied, and the copy loses the channel built here
        DefaultCacheManager manager = new DefaultCacheManager(
                new ConfigurationBuilderHolder(SharedCacheConfiguration.class.getClassLoader(), global), false);
        manager.addListener(members);
        long start = System.nanoTime();
        manager.start();
        LOG.info("shared cache: cluster '{}' started in {} ms on {}:{}", settings.getClusterName(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), ClusterStack.bindAddress(settings)
                        .getHostAddress(), settings.getPort());
        members.watch(manager);
        return manager;
    }

    @Bean("sharedCaches")
    SharedCache sharedCaches(EmbeddedCacheManager sharedCacheManager, AccountTokens tokens,
                             ProvisioningProperties properties) {
        SealedEntries sealed = new SealedEntries(tokens.subkeys(SealedEntries.SEALING),
                tokens.subkeys(SealedEntries.HASHING));
        return new SharedCache(sharedCacheManager, sealed, properties.getCache().getMaxEntries(),
                ClusterStack.remoteTimeout(properties));
    }
}
