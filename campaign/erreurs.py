"""The one error class shown to users: a French sentence and an exit code."""


class CampaignError(Exception):
    """A problem the analyst can fix; its message is one French sentence."""

    def __init__(self, message: str, code: int = 2):
        super().__init__(message)
        self.code = code
