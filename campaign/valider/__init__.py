"""valider"""
