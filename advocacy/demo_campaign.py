def seed(volume=0, log=print):
    return None
