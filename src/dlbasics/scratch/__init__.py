"""dlbasics.scratch"""
