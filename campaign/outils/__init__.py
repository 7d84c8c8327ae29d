"""outils"""
