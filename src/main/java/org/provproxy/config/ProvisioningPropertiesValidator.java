package org.provproxy.config;

import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.provproxy.config.ProvisioningProperties.Explain;
import org.provproxy.config.ProvisioningProperties.Tenant;
import org.provproxy.config.ProvisioningProperties.TokenKey;
import org.springframework.util.StringUtils;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * The rules {@code provisioning.*} must meet for the proxy to start: Spring Boot runs this validator when it binds
 * {@link ProvisioningProperties} (see {@link ConfigurationValidation}), so a misconfiguration stops the start with
 * the key and what it expects, instead of failing users one by one later. Each message names the key as it is
 * written in application.yaml.
 */
class ProvisioningPropertiesValidator implements Validator {

    /** The refresh endpoint answers these for other reasons: as the logout status they would log people out. */
    private static final Set<Integer> RESERVED_STATUSES = Set.of(400, 401, 409);
    private static final int TOKEN_KEY_BYTES = 32;

    @Override
    public boolean supports(Class<?> type) {
        return ProvisioningProperties.class.isAssignableFrom(type);
    }

    @Override
    public void validate(Object target, Errors errors) {
        ProvisioningProperties properties = (ProvisioningProperties) target;
        properties.getTenants().forEach((key, tenant) -> validateTenant(key, tenant, errors));
        validateTokenKeys(properties.getToken().getKeys(), properties.getDemo().isEnabled(), errors);
        validateExplain(properties.getExplain(), errors);
    }

    private static void validateTenant(String key, Tenant tenant, Errors errors) {
        String prefix = "provisioning.tenants." + key + ".";
        String field = "tenants[" + key + "]";
        if (tenant == null || !StringUtils.hasText(tenant.getXsiUrl())) {
            errors.rejectValue(tenant == null ? field : field + ".xsiUrl", "required", prefix + "xsi-url is not set");
            return;
        }
        if (!tenant.getXsiUrl().startsWith("http://") && !tenant.getXsiUrl().startsWith("https://")) {
            errors.rejectValue(field + ".xsiUrl", "invalid", prefix + "xsi-url must be an http(s) URL");
        }
        int logout = tenant.getLogoutStatusCode();
        if (logout < 400 || logout > 499 || RESERVED_STATUSES.contains(logout)) {
            errors.rejectValue(field + ".logoutStatusCode", "invalid", prefix + "logout-status-code must be a 4xx "
                    + "status other than 400, 401 and 409 (e.g. 410), not " + logout);
        }
        if (TenantSettings.Blf.of(tenant.getBlf()).isEmpty()) {
            errors.rejectValue(field + ".blf", "invalid", prefix + "blf must be list, users or off, not '"
                    + tenant.getBlf() + "'");
        }
        if (TenantSettings.TlsTransport.of(tenant.getTlsTransport()).isEmpty()) {
            // the colon makes an unquoted YAML value a mapping: say how to write it
            errors.rejectValue(field + ".tlsTransport", "invalid", prefix + "tls-transport must be \"tls+sip:\" "
                    + "(quoted in YAML) or tls, not '" + tenant.getTlsTransport() + "'");
        }
    }

    private static void validateTokenKeys(List<TokenKey> keys, boolean demo, Errors errors) {
        if (keys.isEmpty() && !demo) {
            errors.rejectValue("token.keys", "required", "provisioning.token.keys is empty: configure at least one "
                    + "key {id, secret: 32 random bytes in base64, e.g. openssl rand -base64 32}");
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < keys.size(); i++) {
            TokenKey key = keys.get(i);
            String id = key == null ? null : key.getId();
            String where = "provisioning.token.keys[" + i + "]";
            if (!StringUtils.hasText(id) || !ids.add(id)) {
                errors.rejectValue("token.keys[" + i + "].id", "invalid",
                        where + ".id: every key needs its own non-empty id" + (StringUtils.hasText(id)
                                ? " ('" + id + "' is already used by an earlier key)" : ""));
            }
            // reject() rather than rejectValue(): a field error would print the (nearly right) secret at start
            String secret = key == null || key.getSecret() == null ? "" : key.getSecret().trim();
            byte[] decoded;
            try {
                decoded = Base64.getDecoder().decode(secret);
            } catch (IllegalArgumentException e) {
                errors.reject("invalid", where + " (id '" + id + "'): secret is not base64");
                continue;
            }
            if (decoded.length != TOKEN_KEY_BYTES) {
                errors.reject("invalid", where + " (id '" + id + "'): secret must be " + TOKEN_KEY_BYTES
                        + " random bytes in base64 (e.g. openssl rand -base64 32), not " + decoded.length + " bytes");
            }
        }
    }

    private static void validateExplain(Explain explain, Errors errors) {
        if (explain.isEnabled() && (!StringUtils.hasText(explain.getUser())
                || !StringUtils.hasText(explain.getPassword()))) {
            errors.rejectValue("explain.enabled", "required",
                    "provisioning.explain.enabled needs provisioning.explain.user and .password");
        }
    }
}
