package org.provproxy.bench.floor;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The bench's floor: Spring Boot and Camel platform-http with one route answering a constant XML document, the
 * least any proxy on this stack can cost per request. Started as its own JVM by the bench, with only this package
 * scanned and its own settings (bench-floor.yaml, not the proxy's application.yaml).
 */
@SpringBootApplication(scanBasePackages = "org.provproxy.bench.floor")
public class FloorApplication {

    public static void main(String[] args) {
        SpringApplication.run(FloorApplication.class, args);
    }
}
