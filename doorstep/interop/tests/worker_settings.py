"""Settings for the worker subprocess of test_notify: SMS to the test's fake gateway."""

import os

from doorstep.settings import *  # noqa: F403

DOORSTEP_NOTIFY_CHANNELS = ["sms"]
DOORSTEP_SMS_URL = os.environ["TEST_SMS_URL"]
DOORSTEP_NOTIFY_TIMEOUT = 20  # the lease (70 s) outlives a hanging gateway
DEBUG = False
