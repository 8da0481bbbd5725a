"""The site's fixed pages: discussion guidelines, privacy notice, accessibility statement, contact."""
