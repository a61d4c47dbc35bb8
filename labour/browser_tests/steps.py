"""Steps both browser walks take: files on disk, logging in and out."""

from playwright.sync_api import expect


def write_files(tmp_path, files):
    """{key: (name, bytes)} → {key: path} of real files to upload."""
    paths = {}
    for key, (name, data) in files.items():
        path = tmp_path / name
        path.write_bytes(data)
        paths[key] = path
    return paths


def login(page, live_server, part, tab, username, password):
    """The login page → the `tab` part → 账号/密码 → 登录."""
    page.goto(live_server.url + "/")
    page.get_by_role("tab", name=tab).click()
    panel = page.locator(f"#part-{part}")
    expect(panel).to_be_visible()
    panel.get_by_label("账号", exact=True).fill(username)
    panel.get_by_label("密码", exact=True).fill(password)
    panel.get_by_role("button", name=f"登录{tab}账号").click()
    return panel


def logout(page, live_server):
    page.get_by_role("button", name="退出").click()
    expect(page).to_have_url(live_server.url + "/")
    expect(page.get_by_role("tab", name="企业")).to_be_visible()
