"""ecrire"""
