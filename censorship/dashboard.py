"""What waits for Intellectual Freedom staff, on the admin index."""


def register():
    pass
