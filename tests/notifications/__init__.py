"""Every state change someone waits for notifies them (issue 15 item 4; docs/notifications.md).

One test per row of the inventory: the change is made through its service, and the people who
wait for it — and nobody else — get exactly one notification each, whose link opens (200) for
them on the page where they act, and one e-mail each with that link made absolute on
``PORTAL_BASE_URL``. Everyone here has an e-mail address; the outsiders (staff of another street,
a leader, another operator) are present so that telling them would show.
"""
