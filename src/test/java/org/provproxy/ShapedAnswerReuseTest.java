package org.provproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import net.sf.saxon.s9api.XdmNode;
import net.sf.saxon.s9api.XsltExecutable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.provproxy.account.AccountTokens;
import org.provproxy.backend.BackendCache;
import org.provproxy.shaping.Stylesheets;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

/**
 * A refresh whose documents the backend cache still holds (tenant {@code cached}) reuses the account shaped from
 * them: the device verdict, the account and its hash are kept by the identity of those documents, so a 304 runs no
 * stylesheet and seals no token. Documents fetched anew are shaped anew (and, unchanged, still end in 304).
 */
class ShapedAnswerReuseTest extends ProxyTestSupport {

    private static final Pattern TOKEN = Pattern.compile("<X-xsi-token>([^<]*)</X-xsi-token>");

    @MockitoSpyBean
    Stylesheets stylesheets;

    @MockitoSpyBean
    AccountTokens accountTokens;

    @Autowired
    BackendCache backendCache;

    @BeforeEach
    void freshBackend() {
        backendCache.clear();
        BACKEND.serve(sample("mobile-three-devices"));
    }

    @Test
    void aRefreshFromCachedDocumentsRunsNoStylesheetAndSealsNoToken() throws Exception {
        HttpResponse<byte[]> signIn = proxy().send("GET", "/provisioning/account", Map.of("username",
                "alice@acme.example", "password", "x-fake-portal-alice", "cloud_id", "cached"), Map.of());
        assertThat(signIn.statusCode()).isEqualTo(200);
        Matcher token = TOKEN.matcher(new String(signIn.body(), StandardCharsets.UTF_8));
        assertThat(token.find()).isTrue();
        String etag = signIn.headers().firstValue("ETag").orElseThrow();
        clearInvocations(stylesheets, accountTokens);

        HttpResponse<byte[]> refresh = refresh(token.group(1), etag);

        assertThat(refresh.statusCode()).isEqualTo(304);
        assertThat(refresh.headers().firstValue("ETag")).hasValue(etag);
        verify(stylesheets, never()).transformToTree(any(XsltExecutable.class), any(XdmNode.class), anyMap());
        verify(stylesheets, never()).transformToBytes(anyString(), anyString(), any(XdmNode.class), anyMap());
        verify(accountTokens, never()).seal(any());

        // the same documents fetched anew are other trees: shaped again, same content, still 304
        backendCache.clear();
        HttpResponse<byte[]> again = refresh(token.group(1), etag);

        assertThat(again.statusCode()).isEqualTo(304);
        verify(stylesheets, atLeastOnce()).transformToTree(any(XsltExecutable.class), any(XdmNode.class), anyMap());
        verify(accountTokens, never()).seal(any());
    }

    private HttpResponse<byte[]> refresh(String token, String etag) {
        return proxy().send("GET", "/provisioning/account/refresh", Map.of("token", token, "platform", "mobile"),
                Map.of("If-None-Match", etag));
    }
}
