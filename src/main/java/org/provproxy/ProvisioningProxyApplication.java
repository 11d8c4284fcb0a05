package org.provproxy;

import org.provproxy.ops.ValidateCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class ProvisioningProxyApplication {

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("validate")) {
            System.exit(ValidateCommand.run(args, System.out));
        }
        SpringApplication.run(ProvisioningProxyApplication.class, args);
    }
}
