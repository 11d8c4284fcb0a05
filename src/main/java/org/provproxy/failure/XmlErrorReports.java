package org.provproxy.failure;

import org.apache.catalina.Host;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;

/**
 * Puts {@link XmlErrorReportValve} in the place of Tomcat's error report valve (and of the one Spring Boot adds),
 * so even a request Tomcat refuses before the application is answered with {@code <error><message>}. Ordered after
 * Spring Boot's own Tomcat customizer, whose valve it replaces.
 */
@Component
class XmlErrorReports implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

    private final ObjectProvider<ErrorAnswers> answers;

    /** Lazily: customizers are made with the web server, before the beans the answers need. */
    XmlErrorReports(ObjectProvider<ErrorAnswers> answers) {
        this.answers = answers;
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addContextCustomizers(context -> {
            Host host = (Host) context.getParent();
            for (Valve valve : host.getPipeline().getValves()) {
                if (valve instanceof ErrorReportValve) {
                    host.getPipeline().removeValve(valve);
                }
            }
            host.getPipeline().addValve(new XmlErrorReportValve(answers::getObject));
            if (host instanceof StandardHost standard) {
                // else the host adds Tomcat's default one again when it starts
                standard.setErrorReportValveClass(XmlErrorReportValve.class.getName());
            }
        });
    }

    @Override
    public int getOrder() {
        return 1;
    }
}
