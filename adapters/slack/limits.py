"""Slack's documented size limits, in one place so the renderers and their tests agree.

Slack rejects a whole message (``invalid_blocks``) when one field is over its limit, so the
renderers cut every field to these sizes rather than trusting the content to be short.
"""

from __future__ import annotations

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100  # modals and the App Home
MAX_MESSAGE_TEXT = 40_000  # the top-level ``text``; Slack truncates beyond it
MAX_SECTION_TEXT = 3000
MAX_FIELD_TEXT = 2000
MAX_FIELDS = 10
MAX_HEADER_TEXT = 150
MAX_CONTEXT_TEXT = 2000
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_OPTIONS = 100  # a static select's options
MAX_OPTION_TEXT = 75
MAX_OPTION_VALUE = 150
MAX_BUTTON_URL = 3000
MAX_ACTIONS_ELEMENTS = 25
MAX_ACTION_ID = 255
MAX_VIEW_TITLE = 24
MAX_VIEW_BUTTON = 24
MAX_PRIVATE_METADATA = 3000
MAX_INPUT_LABEL = 2000
MAX_INPUT_PLACEHOLDER = 150
MAX_INPUT_LENGTH = 3000
