"""Small web pages the chat links to: the mobile product page and media files."""
