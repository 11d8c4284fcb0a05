package org.provproxy;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class ProvisioningProxyApplication {

    public static void main(String[] args) {
        SpringApplication.run(ProvisioningProxyApplication.class, args);
    }
}
