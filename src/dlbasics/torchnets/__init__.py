"""dlbasics.torchnets"""
