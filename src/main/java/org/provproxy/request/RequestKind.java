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
    EXPLAIN("account");

    private final String answer;

    RequestKind(String answer) {
        this.answer = answer;
    }

    /** The answer kind, as part of the last-good-answer key: account, global or dial-action. */
    public String answer() {
        return answer;
    }
}
