"""What waits for advocacy staff, on the admin index."""


def register():
    pass
