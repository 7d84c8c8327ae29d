"""lire"""
