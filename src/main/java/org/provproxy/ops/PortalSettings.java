package org.provproxy.ops;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Header;
import org.provproxy.config.PublicUrl;
import org.provproxy.config.TenantSettings;
import org.provproxy.config.Tenants;
import org.provproxy.failure.FailureKind;
import org.provproxy.failure.ProvisioningFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * {@code GET /provisioning/portal-settings?tenant=}: the Cloud Softphone portal keys of one tenant of this
 * deployment, with this deployment's values, so that nobody copies URLs and post data by hand from the README. The
 * URLs come from {@code provisioning.public-url} only (the app must reach the proxy there over https); the
 * tenant's own values (logout status, refresh interval) from its settings. Operator credential required: the
 * answer names every tenant's endpoints, though it holds no secret.
 */
@Component("portalSettings")
public class PortalSettings {

    private static final Logger LOG = LoggerFactory.getLogger("org.provproxy.provisioning");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the app posts at sign-in: the user's web-portal credentials, as typed, and what it runs on. */
    static final String SIGN_IN_POST_DATA =
            "cloud_username=%username%&cloud_password=%password%&cloud_id=%fullcode%&platform=%platform%&locale=%locale%";
    /** What the app posts afterwards: the sealed token it stored from the account, never the password. */
    static final String TOKEN_POST_DATA = "token=%account[X-xsi-token]%&platform=%platform%&locale=%locale%";
    static final String FORM = "application/x-www-form-urlencoded";

    private final OperatorCredential operator;
    private final Tenants tenants;
    private final PublicUrl publicUrl;

    public PortalSettings(OperatorCredential operator, Tenants tenants, PublicUrl publicUrl) {
        this.operator = operator;
        this.tenants = tenants;
        this.publicUrl = publicUrl;
    }

    /** The settings of the tenant named by its Cloud ID, as one JSON object in the portal's order. */
    public byte[] answer(@Header("Authorization") String authorization, @Header("tenant") String cloudId)
            throws JsonProcessingException {
        if (!operator.matches(authorization)) {
            throw new ProvisioningFailure(FailureKind.OPERATOR_UNAUTHORIZED, "portal settings without operator credential");
        }
        String key = tenants.configured(cloudId).orElseThrow(() -> new ProvisioningFailure(
                FailureKind.TENANT_NOT_CONFIGURED, "portal settings of a tenant that is not configured"));
        String base = publicUrl.base();
        if (base == null) {
            throw new ProvisioningFailure(FailureKind.PUBLIC_URL_NOT_SET, "portal settings without provisioning.public-url");
        }
        Map<String, Object> settings = of(tenants.settings(key), base);
        LOG.info("portal settings tenant={}", key);
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(settings);
    }

    /** The keys and values, in the order the README's tables give them. */
    static Map<String, Object> of(TenantSettings tenant, String base) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("InitialProvisioningUrl", base + "/provisioning/account");
        settings.put("InitialProvisioningMethod", "POST");
        settings.put("InitialProvisioningContentType", FORM);
        settings.put("InitialProvisioningPostData", SIGN_IN_POST_DATA);
        settings.put("extProvUrl", base + "/provisioning/account/refresh");
        settings.put("extProvMethod", "POST");
        settings.put("extProvPostData", TOKEN_POST_DATA);
        settings.put("extProvLogoutStatusCode", tenant.logoutStatusCode());
        settings.put("initialGlobalProvisioningUrl", base + "/provisioning/global");
        settings.put("initialGlobalProvisioningMethod", "POST");
        settings.put("initialGlobalProvisioningPostData", SIGN_IN_POST_DATA);
        settings.put("globalExtProvUrl", base + "/provisioning/global");
        settings.put("globalExtProvMethod", "POST");
        settings.put("globalExtProvPostData", TOKEN_POST_DATA);
        // quick dials and dial actions change about as often as the account: refreshed as often
        settings.put("globalExtProvRefresh", tenant.extProvInterval());
        settings.put("wsContactsUrl", base + "/services/contacts");
        settings.put("wsContactsMethod", "POST");
        settings.put("wsContactsPostData", "token=%account[X-xsi-token]%&locale=%locale%");
        settings.put("wsContactsContentType", FORM);
        return settings;
    }
}
