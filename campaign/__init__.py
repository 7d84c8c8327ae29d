"""campaign: the CLAS campagne of a Caf, from the operators' workbooks to the decisions."""

__version__ = "0.1.0"
