package org.provproxy.ops;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

import org.provproxy.config.ProvisioningProperties;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * The operator credential ({@code provisioning.explain.user}, {@code .password}, HTTP Basic): it opens explain and
 * the details of /actuator/health. Compared in constant time; never matched while it is not set.
 */
@Component
public class OperatorCredential {

    /** The realm of the WWW-Authenticate challenge that asks for it. */
    public static final String REALM = "provisioning operator";

    private final ProvisioningProperties properties;

    public OperatorCredential(ProvisioningProperties properties) {
        this.properties = properties;
    }

    /** Whether {@code authorization} (an Authorization header value, or null) is the operator's. */
    public boolean matches(String authorization) {
        ProvisioningProperties.Explain explain = properties.getExplain();
        if (!StringUtils.hasText(explain.getUser()) || !StringUtils.hasText(explain.getPassword())) {
            return false;
        }
        String expected = "Basic " + Base64.getEncoder().encodeToString(
                (explain.getUser() + ":" + explain.getPassword()).getBytes(StandardCharsets.UTF_8));
        String given = authorization == null ? "" : authorization.trim();
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    public String user() {
        return properties.getExplain().getUser();
    }
}
