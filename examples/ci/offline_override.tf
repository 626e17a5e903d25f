# Copy next to the generated AWS configuration (out/<env>/terraform/) to run `terraform plan` without
# AWS credentials or network, e.g. as a smoke test in CI: state stays local, the provider gets
# placeholder keys and skips every call it would make to check them. Never use it for apply.
# Terraform merges *_override.tf files over the generated ones, which stay untouched.

terraform {
  backend "local" {
    path = "terraform.tfstate"
  }
}

provider "aws" {
  access_key                  = "placeholder"
  secret_key                  = "placeholder"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}
