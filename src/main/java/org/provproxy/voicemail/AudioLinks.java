package org.provproxy.voicemail;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Pattern;

import org.provproxy.account.AccountTokens;
import org.provproxy.account.AccountTokens.AccountToken;
import org.provproxy.config.PublicUrl;
import org.provproxy.failure.FailureKind;
import org.provproxy.failure.ProvisioningFailure;
import org.provproxy.request.SignIn;
import org.springframework.stereotype.Component;

/**
 * The links to a voice message's audio that the voicemail list carries: a URL the app (or its media player) opens
 * directly, without the account's token, holding a short-lived sealed link for that one message
 * ({@link AccountTokens#sealLink}). A message id is the last segment of XSI's message path (opaque to the app, never
 * the path itself); only ids of safe characters are accepted, so an id can never name another XSI resource.
 */
@Component("audioLinks")
public class AudioLinks {

    /** How long a link opens after the list that carried it was made. */
    static final Duration TTL = Duration.ofMinutes(10);
    private static final Pattern MESSAGE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final AccountTokens tokens;
    private final PublicUrl publicUrl;

    public AudioLinks(AccountTokens tokens, PublicUrl publicUrl) {
        this.tokens = tokens;
        this.publicUrl = publicUrl;
    }

    /** The audio URL of message {@code id} for the user of {@code signIn} (a request with the account's token). */
    public String url(SignIn signIn, String id) {
        AccountToken account = new AccountToken(signIn.tenant().key(), signIn.userId(), signIn.xsi().password(),
                java.time.Instant.now(), "", null);
        String base = publicUrl.base() == null ? "" : publicUrl.base();
        return base + "/services/voicemail/" + URLEncoder.encode(requireId(id), StandardCharsets.UTF_8)
                + "/audio?link=" + tokens.sealLink(account, use(id), TTL);
    }

    /** Opens the link of message {@code id}: bad-token when it is for anything else, token-expired when old. */
    public AccountToken open(String link, String id) {
        if (link == null || link.isBlank()) {
            throw new ProvisioningFailure(FailureKind.MISSING_TOKEN, "no link");
        }
        return tokens.openLink(link.trim(), use(requireId(id)));
    }

    /** The id when it is one this proxy hands out; else {@code voicemail-bad-id} (400), before XSI is asked. */
    public static String requireId(String id) {
        if (id == null || !MESSAGE_ID.matcher(id).matches() || id.equals(".") || id.equals("..")) {
            throw new ProvisioningFailure(FailureKind.VOICEMAIL_BAD_ID, "not a voice message id");
        }
        return id;
    }

    /** The message id of an XSI message path ({@code /v2.0/user/<user>/voicemessagingmessages/<id>}). */
    public static String idOf(String messagePath) {
        String path = messagePath == null ? "" : messagePath.replaceAll("\\s+", "");
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static String use(String id) {
        return "voicemail-audio:" + id;
    }
}
