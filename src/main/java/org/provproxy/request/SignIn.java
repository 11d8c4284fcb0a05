package org.provproxy.request;

import org.provproxy.account.AccountTokens.AccountToken;
import org.provproxy.account.AccountVersion;
import org.provproxy.config.TenantSettings.PlatformSettings;
import org.provproxy.config.TenantSettings;

/**
 * Everything a request resolved, once, before the walk: who called, which tenant (settings resolved), which
 * user and how to reach XSI as them, which platform and device type, the token the app presented. Made only by
 * {@link SignIns}; held on the exchange as variable {@code signIn}, read by routes as {@code ${variable.signIn...}}
 * and by beans as a bound parameter.
 *
 * @param token       the opened token the app sent (re-provisioning, global refresh, dial actions), or null
 * @param tokenText   that token as the app sent it, or null
 * @param dialNumber  the number a dial action dials, or null
 * @param lastGoodKey key of this user's last good answer (answer kind, tenant, user, platform, credential HMAC)
 */
public record SignIn(Caller caller, RequestKind kind, TenantSettings tenant, String userId, XsiAccess xsi,
                     String platform, PlatformSettings device, AccountToken token, String tokenText,
                     String dialNumber, String lastGoodKey) {

    public boolean refresh() {
        return kind == RequestKind.REFRESH;
    }

    /** See {@link RequestKind#mayLogOut()}. */
    public boolean mayLogOut() {
        return kind.mayLogOut();
    }

    /** Cache key of one XSI document of this user, with these credentials. */
    public String xsiCacheKey(String resource) {
        return "xsi|" + tenant.key() + "|" + userId + "|" + xsi.credentialKey() + "|" + resource;
    }

    /**
     * The account version the app holds, as its token says (re-provisioning only): what a 304 confirms when the
     * platform cannot be asked.
     */
    public AccountVersion heldVersion() {
        return refresh() && token != null ? AccountVersion.held(token) : null;
    }

    @Override
    public String toString() {
        return "SignIn[" + kind + " tenant=" + tenant.key() + " user=" + userId + " platform=" + platform + "]";
    }
}
