package org.provproxy.config;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.validation.Validator;

/**
 * Registers {@link ProvisioningPropertiesValidator} under the name Spring Boot looks up for validating
 * {@code @ConfigurationProperties} beans while it binds them.
 */
@Configuration(proxyBeanMethods = false)
class ConfigurationValidation {

    /** Static: the binder needs it before any other bean exists, without creating this class that early. */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static Validator configurationPropertiesValidator() {
        return new ProvisioningPropertiesValidator();
    }
}
