package dev.basilica.plan;

import dev.basilica.model.Environment;

/**
 * The model's settings that outputs write out as they are (no second output decides on them), carried by
 * the plan so that emitters and live checks never read the model. Built once by the planner.
 *
 * @param terraform what the Terraform root module is written from
 */
public record Settings(TerraformSettings terraform) {

    static Settings of(Environment env) {
        return new Settings(TerraformSettings.of(env.terraform()));
    }
}
