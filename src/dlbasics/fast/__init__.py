"""dlbasics.fast"""
