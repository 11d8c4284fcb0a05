package org.provproxy.backend;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.apache.camel.Variable;
import org.provproxy.backend.BackendCall.Backend;
import org.provproxy.request.SignIn;
import org.springframework.stereotype.Component;

/** Makes the {@link BackendCall}s of a sign-in: XSI resources of the user, and the chosen device's file. */
@Component("backendCalls")
public class BackendCalls {

    /**
     * GET of an XSI resource of the user, cached for the tenant's cache-ttl; a usable answer is a document whose
     * root is {@code root} ({@code |} between accepted spellings) in the XSI namespace.
     */
    public BackendCall xsiGet(SignIn signIn, String resource, String root, boolean absentWhenForbidden) {
        return new BackendCall(Backend.XSI, "GET", resource, signIn.xsi().userUrl() + "/" + resource, null,
                signIn.xsiCacheKey(resource), signIn.tenant().cacheTtl(), absentWhenForbidden, null, null, null,
                ExpectedDocument.xsi(root), 0);
    }

    /**
     * GET of an XSI resource of the user that changes with every call (the call logs): never kept in the backend
     * cache, so a call that just ended is in the next answer. A usable answer is as for {@link #xsiGet}.
     */
    public BackendCall xsiGetFresh(SignIn signIn, String resource, String root, boolean absentWhenForbidden) {
        return new BackendCall(Backend.XSI, "GET", resource, signIn.xsi().userUrl() + "/" + resource, null,
                null, Duration.ZERO, absentWhenForbidden, null, null, null, ExpectedDocument.xsi(root), 0);
    }

    /**
     * GET of one page of a directory ({@code resource}: directories/Enterprise or directories/Group) below the
     * user, with {@code user}/{@code password} (the tenant's directory credentials) or, when null, the sign-in's
     * own. Never kept in the backend cache: the whole directory is kept, once per enterprise or group. A 403 means
     * the directory is not available to the user: no document.
     */
    public BackendCall directoryPage(SignIn signIn, String resource, String root, int start, int results,
                                     String user, String password) {
        return new BackendCall(Backend.XSI, "GET", resource, signIn.xsi().userUrl() + "/" + resource,
                "start=" + start + "&results=" + results, null, Duration.ZERO, true, null, user, password,
                ExpectedDocument.xsi(root), 0);
    }

    /** XSI click-to-dial of the sign-in's dial number: an action, never cached. */
    public BackendCall clickToDial(@Variable("signIn") SignIn signIn) {
        String resource = "calls/new";
        return new BackendCall(Backend.XSI, "POST", resource, signIn.xsi().userUrl() + "/" + resource,
                "address=" + URLEncoder.encode(signIn.dialNumber(), StandardCharsets.UTF_8), null, Duration.ZERO,
                false, null, null, null, null, 0);
    }

    /**
     * An XSI action on a resource of the user ({@code PUT} or {@code DELETE}, e.g. marking a voice message read):
     * sent with an empty body, never cached, and its answer is no document.
     */
    public BackendCall xsiAction(SignIn signIn, String method, String resource) {
        return new BackendCall(Backend.XSI, method, resource, signIn.xsi().userUrl() + "/" + resource, null, null,
                Duration.ZERO, false, null, null, null, null, 0);
    }

    /**
     * An XSI action sending a document ({@code POST} or {@code PUT}, e.g. a BroadWorks Anywhere location):
     * {@code content} is the XML document (UTF-8), never cached, and its answer is no document.
     */
    public BackendCall xsiAction(SignIn signIn, String method, String resource, byte[] content) {
        return new BackendCall(Backend.XSI, method, resource, signIn.xsi().userUrl() + "/" + resource, null, null,
                Duration.ZERO, false, null, null, null, null, 0, content);
    }

    /**
     * GET of the chosen device's profile file from the DMS, with the device's credentials; a usable answer is a
     * document whose root is the platform's {@code file-root}.
     */
    public BackendCall deviceFile(SignIn signIn, String deviceName, String fileUrl, String user, String password,
                                  String cacheKey) {
        return new BackendCall(Backend.DMS, "GET", fileUrl, fileUrl, null, cacheKey, signIn.tenant().cacheTtl(),
                false, deviceName, user, password, ExpectedDocument.deviceFile(signIn.device().fileRoot()), 0);
    }
}
