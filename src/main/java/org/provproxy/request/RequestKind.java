package org.provproxy.request;

/** What the app asked for; decides the answer's shape and which failures may log it out. */
public enum RequestKind {
    /** Initial provisioning: sign-in with the web-portal user name and password. */
    ACCOUNT("account"),
    /** Re-provisioning with the account's sealed token: the only kind that may answer the logout status. */
    REFRESH("account"),
    /** Global provisioning: quick dials and dial actions. */
    GLOBAL("global"),
    /** A dial action's web service. */
    DIAL_ACTION("dial-action"),
    /** An operator's explain request: walks like initial provisioning. */
    EXPLAIN("account"),
    /** The contacts web service (the enterprise or group directory), with the account's sealed token. */
    CONTACTS("contacts"),
    /** The call history web service (XSI call logs), with the account's sealed token. */
    CALL_HISTORY("call-history"),
    /** The voicemail web services (list, audio, mark, delete), with the account's sealed token. */
    VOICEMAIL("voicemail"),
    /** The call features web services (read all, change one), with the account's sealed token. */
    FEATURES("features"),
    /**
     * A voice message's audio opened by its short-lived link (the URL the voicemail list carries, which a media
     * player opens without the account's token): not the app's account, so it never answers the logout status.
     */
    VOICEMAIL_LINK("voicemail-audio");

    private final String answer;

    RequestKind(String answer) {
        this.answer = answer;
    }

    /**
     * Whether the answer may be the tenant's logout status when access is certainly gone: re-provisioning, and
     * the web services the app calls with the account's token (contacts, call history, voicemail, features).
     */
    public boolean mayLogOut() {
        return this == REFRESH || service();
    }

    /**
     * A subscriber service under /services/ (contacts, call history, voicemail): answers carry
     * {@code Cache-Control: private, no-cache}, so the app's own HTTP cache may keep them and ask again with its
     * validators.
     */
    public boolean service() {
        return this == CONTACTS || this == CALL_HISTORY || this == VOICEMAIL || this == FEATURES;
    }

    /** The answer kind, as part of the last-good-answer key: account, global, dial-action or a service's name. */
    public String answer() {
        return answer;
    }
}
