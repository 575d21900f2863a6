// A live region that follows a background job: while its status is still the one named in
// data-poll-while, ask data-poll-url (JSON {"status": ...}) every few seconds; once it changes, fetch
// this page again and swap in the region's new content. The region is aria-live="polite", so screen
// readers announce the result. Without JavaScript the region's own link reloads the page.
const POLL_MS = 3000
const GIVE_UP_AFTER = 200 // about ten minutes

for (const region of document.querySelectorAll('[data-poll-url]')) {
  const url = region.dataset.pollUrl
  const waitingFor = region.dataset.pollWhile
  let tries = 0

  async function refresh () {
    const response = await fetch(window.location.href, { credentials: 'same-origin' })
    if (!response.ok) throw new Error(String(response.status))
    const page = new DOMParser().parseFromString(await response.text(), 'text/html')
    const fresh = page.getElementById(region.id)
    if (fresh) region.innerHTML = fresh.innerHTML
  }

  async function poll () {
    tries += 1
    try {
      const response = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      if (response.ok) {
        const { status } = await response.json()
        if (status !== waitingFor) {
          await refresh()
          return
        }
      }
    } catch (e) { /* offline for a moment: try again */ }
    if (tries < GIVE_UP_AFTER) window.setTimeout(poll, POLL_MS)
  }

  window.setTimeout(poll, POLL_MS)
}
