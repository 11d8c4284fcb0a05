package org.provproxy.ops;

import java.util.Optional;

import net.sf.saxon.s9api.XdmNode;

import org.provproxy.backend.BackendCall;
import org.provproxy.backend.XmlDocuments;
import org.provproxy.callhistory.CallHistories;
import org.provproxy.callhistory.CallHistoryQuery;
import org.provproxy.contacts.Directories;
import org.provproxy.contacts.DirectoryPages;
import org.provproxy.contacts.DirectoryScope;
import org.provproxy.config.Tenants;
import org.provproxy.request.Caller;
import org.provproxy.request.ProvisioningRequestReader;
import org.provproxy.request.RequestKind;
import org.provproxy.request.SignIn;
import org.provproxy.request.SignIns;
import org.provproxy.shaping.Shaped;
import org.provproxy.shaping.Shaping;
import org.provproxy.walk.DeviceChoice;
import org.provproxy.walk.Walk;
import org.provproxy.walk.WalkDocumentBuilder;
import org.springframework.stereotype.Component;

/**
 * Replays a sample without any backend: rebuilds the walk from the recorded documents (the device chosen by the
 * tenant's choose-device.xsl) and shapes it with the tenant's stylesheets ({@link Shaping}), as the routes do. Used by {@code validate}: it tests stylesheets, not HTTP.
 */
@Component("offlineReplay")
public class OfflineReplay {

    /** Stands in for the stand-in's base URL and the proxy's own, as in samples' expected answers. */
    private static final String BACKEND = SampleCase.BACKEND_PLACEHOLDER;

    private final SignIns signIns;
    private final Shaping shaping;
    private final WalkDocumentBuilder walks;
    private final DeviceChoice deviceChoice;
    private final XmlDocuments xml;
    private final Tenants tenants;

    private final Directories directories;
    private final DirectoryPages directoryPages;
    private final CallHistories callHistories;

    public OfflineReplay(SignIns signIns, Shaping shaping, WalkDocumentBuilder walks,
                         DeviceChoice deviceChoice, XmlDocuments xml, Tenants tenants, Directories directories,
                         DirectoryPages directoryPages, CallHistories callHistories) {
        this.callHistories = callHistories;
        this.directories = directories;
        this.directoryPages = directoryPages;
        this.tenants = tenants;
        this.signIns = signIns;
        this.shaping = shaping;
        this.walks = walks;
        this.deviceChoice = deviceChoice;
        this.xml = xml;
    }

    /**
     * The answer the tenant's stylesheets give for the sample's recorded documents; an account without SIP
     * credentials fails as it does in the route.
     */
    public Shaped replay(SampleCase sample, String tenant) throws Exception {
        boolean global = sample.path().startsWith("/provisioning/global");
        SignIn signIn = signIns.offline(tenant, sample.backend("xsi.user"),
                ProvisioningRequestReader.platform(sample.params().get("platform"),
                        tenants.settings(tenant).platformAliases()),
                global ? RequestKind.GLOBAL : RequestKind.ACCOUNT);
        Walk walk = walks.start();
        if (global) {
            part(walk, sample, "blf", "xsi/services/BusyLampField");
            part(walk, sample, "speed-dial-8", "xsi/services/SpeedDial8");
            part(walk, sample, "speed-dial-100", "xsi/services/SpeedDial100");
            part(walk, sample, "anywhere", "xsi/services/BroadWorksAnywhere");
            part(walk, sample, "devices", "xsi/profile/Device");
        } else {
            XdmNode devices = part(walk, sample, "devices", "xsi/profile/Device")
                    .orElseThrow(() -> new IllegalStateException("no devices recorded"));
            deviceChoice.choose(devices, signIn, walk);
            String url = walk.device().fileUrl();
            part(walk, sample, "device-file", url.startsWith(BACKEND + "/") ? url.substring(BACKEND.length() + 1) : url);
            part(walk, sample, "profile", "xsi/profile");
            part(walk, sample, "blf", "xsi/services/BusyLampField");
        }
        return global ? shaping.global(signIn, walk) : shaping.account(signIn, walk);
    }

    /**
     * The contacts JSON the tenant's contacts.xsl makes of a contacts sample's recorded directory: the directory
     * the recorded profile names, its pages as the walk asks for them (first page, then the ones it announces).
     */
    public byte[] contacts(SampleCase sample, String tenant) throws Exception {
        SignIn signIn = signIns.offline(tenant, sample.backend("xsi.user"), "mobile", RequestKind.CONTACTS);
        Walk profile = walks.start();
        part(profile, sample, "profile", "xsi/profile")
                .orElseThrow(() -> new IllegalStateException("no profile recorded"));
        DirectoryScope scope = directories.scope(signIn, profile);
        Walk pages = walks.start();
        BackendCall first = directoryPages.first(signIn, scope);
        directoryPages.keep(pages, first, page(sample, first));
        for (BackendCall next : directoryPages.rest(signIn, scope, pages)) {
            directoryPages.keep(pages, next, page(sample, next));
        }
        return shaping.contacts(signIn.tenant(), scope.kind().value(), scope.enterpriseId(), scope.groupId(), pages);
    }

    /**
     * The call history the tenant's call-history.xsl makes of a call history sample's recorded call logs: JSON
     * when the sample asks for it (Accept), else XML; only the calls after its {@code since}.
     */
    public byte[] callHistory(SampleCase sample, String tenant) throws Exception {
        SignIn signIn = signIns.offline(tenant, sample.backend("xsi.user"), "mobile", RequestKind.CALL_HISTORY);
        Walk walk = walks.start();
        part(walk, sample, "call-logs", "xsi/directories/CallLogs");
        return callHistories.shape(signIn, walk, Caller.prefersJson(sample.requestHeaders().get("Accept")),
                CallHistoryQuery.parse(sample.params().get("since")));
    }

    /** A directory page as recorded for the call's query; a 403 (not available) is no page. */
    private XdmNode page(SampleCase sample, BackendCall call) {
        String resource = "xsi/" + call.resource();
        SampleCase.Answer answer = sample.answer(resource, call.query(), BACKEND)
                .orElseThrow(() -> new IllegalStateException(resource + "?" + call.query() + " not recorded"));
        if (answer.status() == 403) {
            return null;
        }
        if (answer.status() < 200 || answer.status() > 299) {
            throw new IllegalStateException(resource + " recorded with status " + answer.status());
        }
        return xml.parse(answer.body(), answer.contentType(), resource);
    }

    /** A recorded or expected document, read as the proxy reads backend answers. */
    public XdmNode read(byte[] xml) {
        return this.xml.parse(xml, null, "sample");
    }

    /** Puts a recorded document into the walk; a 403 (service not assigned) leaves the part out. */
    private Optional<XdmNode> part(Walk walk, SampleCase sample, String part, String resource) {
        SampleCase.Answer answer = sample.answer(resource, BACKEND)
                .orElseThrow(() -> new IllegalStateException(resource + " not recorded"));
        if (answer.status() == 403) {
            return Optional.empty();
        }
        if (answer.status() < 200 || answer.status() > 299) {
            throw new IllegalStateException(resource + " recorded with status " + answer.status());
        }
        XdmNode document = xml.parse(answer.body(), answer.contentType(), resource);
        walks.keep(walk, part, document);
        return Optional.of(document);
    }
}
