package org.provproxy.config;

import java.util.List;

import org.springframework.validation.BeanPropertyBindingResult;
import org.springframework.validation.Errors;
import org.springframework.validation.ObjectError;

/** What the validator of provisioning.* says about some settings, for tests outside this package too. */
public final class ConfigurationProblems {

    private ConfigurationProblems() {
    }

    /** The messages that would stop the start; empty when the settings are fine. */
    public static List<String> of(ProvisioningProperties properties) {
        Errors errors = new BeanPropertyBindingResult(properties, "provisioning");
        new ProvisioningPropertiesValidator().validate(properties, errors);
        return errors.getAllErrors().stream().map(ObjectError::getDefaultMessage).toList();
    }
}
