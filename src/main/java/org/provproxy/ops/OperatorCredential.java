package org.provproxy.ops;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

import org.provproxy.config.ProvisioningProperties;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * The operator credential ({@code provisioning.operator.user}, {@code .password}, HTTP Basic; formerly
 * {@code provisioning.explain.user}, {@code .password}, still read): it opens explain, the details of
 * /actuator/health, /actuator/prometheus and the portal settings. Compared in constant time; never matched while it is not set.
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
        ProvisioningProperties.Operator credential = properties.operatorCredential();
        if (!StringUtils.hasText(credential.getUser()) || !StringUtils.hasText(credential.getPassword())) {
            return false;
        }
        String expected = "Basic " + Base64.getEncoder().encodeToString(
                (credential.getUser() + ":" + credential.getPassword()).getBytes(StandardCharsets.UTF_8));
        String given = authorization == null ? "" : authorization.trim();
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    public String user() {
        return properties.operatorCredential().getUser();
    }
}
