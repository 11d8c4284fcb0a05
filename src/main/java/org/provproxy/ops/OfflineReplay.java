package org.provproxy.ops;

import org.provproxy.backend.XmlDocuments;
import org.provproxy.config.Tenants;
import org.provproxy.request.ProvisioningRequestReader;
import org.provproxy.shaping.Stylesheets;
import org.provproxy.walk.DeviceChoice;
import org.provproxy.walk.WalkAggregationStrategy;
import org.provproxy.walk.WalkDocumentBuilder;

import java.util.Optional;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.provproxy.config.ProvisioningProperties.Platform;
import org.provproxy.config.ProvisioningProperties.Tenant;
import org.springframework.stereotype.Component;
import org.w3c.dom.Document;

/**
 * Replays a sample without any backend: rebuilds the walk from the recorded documents (the device chosen by the
 * tenant's choose-device.xsl, the walk document by {@link WalkDocumentBuilder}) and shapes it with the tenant's
 * stylesheets, as the routes do. Used by {@code validate}: it tests stylesheets, not HTTP.
 */
@Component("offlineReplay")
public class OfflineReplay {

    /** Stands in for the stand-in's base URL and the proxy's own, as in samples' expected answers. */
    private static final String BACKEND = SampleCase.BACKEND_PLACEHOLDER;

    private final CamelContext camel;
    private final Stylesheets stylesheets;
    private final WalkDocumentBuilder walks;
    private final DeviceChoice deviceChoice;
    private final XmlDocuments xml;
    private final Tenants tenants;

    public OfflineReplay(CamelContext camel, Stylesheets stylesheets, WalkDocumentBuilder walks,
                         DeviceChoice deviceChoice, XmlDocuments xml, Tenants tenants) {
        this.camel = camel;
        this.stylesheets = stylesheets;
        this.walks = walks;
        this.deviceChoice = deviceChoice;
        this.xml = xml;
        this.tenants = tenants;
    }

    /** The answer the tenant's stylesheets give for the sample's recorded documents. */
    public String replay(SampleCase sample, String tenant) throws Exception {
        Exchange exchange = new DefaultExchange(camel);
        String platform = ProvisioningRequestReader.platform(sample.params().get("platform"));
        Tenant settings = tenants.settingsOf(tenant);
        Platform device = tenants.platform(settings, platform);
        exchange.setProperty("tenant", tenant);
        exchange.setProperty("platform", platform);
        exchange.setProperty("userId", sample.backend("xsi.user"));
        exchange.setProperty("deviceType", device.getDeviceType());
        exchange.setProperty("deviceFileName", device.getFile());
        exchange.setProperty("extProvInterval", String.valueOf(settings.getExtProvInterval()));
        exchange.setProperty("requestBaseUrl", "${proxy}");

        boolean global = sample.path().startsWith("/provisioning/global");
        if (global) {
            part(exchange, sample, "blf", "xsi/services/BusyLampField");
            part(exchange, sample, "speed-dial-8", "xsi/services/SpeedDial8");
            part(exchange, sample, "speed-dial-100", "xsi/services/SpeedDial100");
            part(exchange, sample, "anywhere", "xsi/services/BroadWorksAnywhere");
            part(exchange, sample, "devices", "xsi/profile/Device");
        } else {
            Document devices = part(exchange, sample, "devices", "xsi/profile/Device")
                    .orElseThrow(() -> new IllegalStateException("no devices recorded"));
            exchange.getMessage().setBody(devices);
            exchange.getMessage().setHeader("deviceType", device.getDeviceType());
            String verdict = stylesheets.transform(exchange, "choose-device.xsl");
            exchange.getMessage().removeHeaders("*");
            deviceChoice.require(xml.parse(verdict.getBytes(java.nio.charset.StandardCharsets.UTF_8), null, "verdict"),
                    exchange);
            String url = exchange.getProperty("deviceFileUrl", String.class);
            part(exchange, sample, "device-file", url.startsWith(BACKEND + "/") ? url.substring(BACKEND.length() + 1) : url);
            part(exchange, sample, "profile", "xsi/profile");
            part(exchange, sample, "blf", "xsi/services/BusyLampField");
        }
        exchange.getMessage().setBody(walks.build(exchange));
        return stylesheets.transform(exchange, global ? "global.xsl" : "account.xsl");
    }

    /** Puts a recorded document into the walk; a 403 (service not assigned) leaves the part out. */
    private Optional<Document> part(Exchange exchange, SampleCase sample, String part, String resource) {
        SampleCase.Answer answer = sample.answer(resource, BACKEND)
                .orElseThrow(() -> new IllegalStateException(resource + " not recorded"));
        if (answer.status() == 403) {
            return Optional.empty();
        }
        if (answer.status() < 200 || answer.status() > 299) {
            throw new IllegalStateException(resource + " recorded with status " + answer.status());
        }
        Document document = xml.parse(answer.body(), answer.contentType(), resource);
        exchange.setProperty(WalkAggregationStrategy.PREFIX + part, document);
        return Optional.of(document);
    }
}
