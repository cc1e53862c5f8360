# Run the SeeClickFix open311-validator (2019, written for RSpec 2's `should`) unmodified on
# Debian's RSpec 3: turn the old syntax back on before its code loads. Nothing else.
#
#   apt-get install ruby ruby-httparty ruby-rspec
#   git -C <open311-validator checkout> archive HEAD | tar -x -C /tmp/validator
#   cd /tmp/validator && ruby -Ilib -r<doorstep>/bench/open311_validator_prelude.rb \
#       bin/open311-validate -u http://127.0.0.1:8300/open311/v2/discovery -k demo-open311-key
require 'rspec/expectations'
RSpec::Expectations.configuration.syntax = [:should, :expect]
RSpec::Mocks.configuration.syntax = [:should, :expect] if defined?(RSpec::Mocks)
