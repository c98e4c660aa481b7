"""Playing a set list: the gig's songs in one window, with the interlude between them.

The set opens on the interlude (the walk-in). A song starts on a trigger (the N key,
/livesync/next, /livesync/song NAME|INDEX), or by itself after its `pause`; at its end the
interlude comes back and waits for the next. A pick during a song ends it and goes to the
picked one. Each switch is logged as `song -> NAME`.

While one part plays, the next song is loaded on a thread of its own (show file, timeline,
audio, analysis and its sound output, opened paused), and its renderer is built a piece a
frame in the interlude, so no frame waits for a whole song to load. A song that cannot be
loaded is reported and skipped, in the log and on the HUD; the set goes on. One LiveControl
serves the whole set: OSC and MIDI are opened once (as the first song's show sets them up)
and each part's show is adopted into the live state, as a hot reload is.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from typing import TextIO

from livesync.app.frame_loop import run
from livesync.app.live import LiveControl, open_performer_window
from livesync.app.reload import LiveShow
from livesync.app.set_interlude import (
    follows_daw,
    interlude_performance,
    interlude_show,
    listen_to_room,
)
from livesync.app.song_preload import Preload, Prepared
from livesync.audio.live_sound import LiveSound
from livesync.control.events import PickSong
from livesync.devices.input_stream import MonoInput
from livesync.devices.video_out import VideoOutput
from livesync.errors import DeviceError, InputError
from livesync.render.hud import Hud
from livesync.render.renderer import Renderer, warm_driver
from livesync.render.window import Window
from livesync.show.set_list import SetList
from livesync.show.show_file import Show, load_show
from livesync.sync.clock import Clock, OffsetClock, WallClock

log = logging.getLogger("livesync")

LOAD_AFTER = 1.0  # seconds into a song before the next one starts loading


class SetPlayer:
    def __init__(
        self,
        set_list: SetList,
        window: Window,
        control: LiveControl,
        interlude: LiveShow,
        wall: Callable[[], float],
        adjust: Callable[[Show], Show],
        silent: bool = False,
        hud: Hud | None = None,
        frame_log: TextIO | None = None,
        exit_at_end: bool = False,
        outputs: Sequence[VideoOutput] = (),
    ) -> None:
        self.set_list, self.window, self.control = set_list, window, control
        self.interlude, self.wall, self.adjust, self.silent = interlude, wall, adjust, silent
        self.hud = hud or Hud(window.ctx)
        self.frame_log = frame_log
        self.exit_at_end = exit_at_end  # quit after the last song instead of the interlude
        self.outputs = outputs  # NDI: every part's pictures
        self.frames = 0
        self.current: int | None = None  # the song playing, or the last one played
        self.skipped: dict[int, str] = {}
        self._preload: Preload | None = None
        self._in_interlude = False

    # -- the set -------------------------------------------------------------------------

    def play(self) -> int:
        """Until the performer quits (or, with exit_at_end, the set is over); returns the
        frames drawn."""
        if self.control.follow is not None:
            return self._follow_daw()
        upcoming = self._next_after(None)
        while not self.window.quit_requested:
            if upcoming is None and self.exit_at_end and not self.control.song_requests:
                break
            pick = self._wait_in_interlude(upcoming)
            if pick is None:
                break
            prepared = self._take(pick)
            if prepared is not None:  # else: it could not be loaded; reported, skipped
                self._play_song(prepared)
            upcoming = self._next_after(pick)
        if self._preload is not None:
            self._preload.discard()
        return self.frames

    # -- one DAW project for the whole set ----------------------------------------------

    def _follow_daw(self) -> int:
        """The DAW's playhead picks the part: inside a song (from its daw_start to its end,
        or the next song's start) that song, at the playhead's time less its daw_start;
        elsewhere the interlude. A seek in the DAW jumps the visuals with it; the song
        after the playhead is loaded ahead, a song jumped to loads while the interlude
        shows."""
        follow = self.control.follow
        assert follow is not None
        ended: dict[int, float] = {}  # a loaded song's end in the DAW's timeline

        def song_at(t: float) -> int | None:
            songs = self.set_list.songs
            for i, entry in enumerate(songs):
                start = entry.daw_start
                if start is None or i in self.skipped or t < start:
                    continue
                later = [
                    s.daw_start for s in songs if s.daw_start is not None and s.daw_start > start
                ]
                end = min(
                    [*later, ended.get(i, float("inf"))]
                )  # in the DAW's order, not the list's
                if t < end:
                    return i
            return None

        def ahead(t: float) -> int | None:
            starts = [
                (s.daw_start, i)
                for i, s in enumerate(self.set_list.songs)
                if s.daw_start is not None and s.daw_start > t and i not in self.skipped
            ]
            return min(starts)[1] if starts else None

        while not self.window.quit_requested:
            here = song_at(follow.now())
            if here is None or not self._loaded(here):
                wanted = here if here is not None else ahead(follow.now())
                if not self._daw_interlude(lambda: song_at(follow.now()), wanted):
                    break
                continue
            prepared = self._take(here)
            if prepared is None:
                continue
            ended[here] = (self.set_list.songs[here].daw_start or 0.0) + (
                prepared.performance.duration
            )
            following = ahead(follow.now())
            self._play_song(prepared, daw=(follow, lambda: song_at(follow.now()), following))
        if self._preload is not None:
            self._preload.discard()
        return self.frames

    def _loaded(self, index: int) -> bool:
        preload = self._start_loading(index)
        if preload.done:
            preload.build(self.window.ctx)
        return preload.done

    def _daw_interlude(self, song_at: Callable[[], int | None], wanted: int | None) -> bool:
        """The interlude while the playhead is outside the songs (or in one still loading);
        False when the performer quits."""
        if wanted is not None:
            self._start_loading(wanted)
        clock = self.control.play_part(
            self.interlude.show, self.interlude.renderer.params, WallClock(self.wall)
        )

        first = True  # the switch's own frame: it builds nothing

        def tick() -> bool:
            nonlocal first
            here = song_at()
            if here is not None and self._loaded(here):
                return True
            if self._preload is not None and not first:
                self._preload.build_step(self.window.ctx, self.window.ctx.screen)  # a piece a frame
            first = False
            if not self._in_interlude:
                log.info("song -> interlude")
                self._in_interlude = True
            self.control.song_requests.clear()  # the DAW decides which song plays
            self.control.notes = self._notes(here if here is not None else wanted, here)
            return False

        self.frames += run(
            self.window,
            self.interlude,
            clock,
            self.wall,
            reload=False,
            control=self.control,
            frame_log=self.frame_log,
            loop=True,
            hud=self.hud,
            tick=tick,
            first_frame=self.frames,
            outputs=self.outputs,
        )
        return not self.window.quit_requested

    def _next_after(self, index: int | None) -> int | None:
        start = 0 if index is None else index + 1
        return next(
            (i for i in range(start, len(self.set_list.songs)) if i not in self.skipped), None
        )

    def _resolve(self, request: PickSong, upcoming: int | None) -> int | None:
        if request.song is None:
            if upcoming is None:
                log.warning("no next song: the set is over (%s)", request.source)
            return upcoming
        found = self.set_list.find(request.song)
        if found is None:
            names = ", ".join(s.name for s in self.set_list.songs)
            log.warning("no song %r in the set (%s): %s", request.song, request.source, names)
        return found

    def _start_loading(self, index: int) -> Preload:
        preload = self._preload
        if preload is not None and preload.index == index:
            return preload
        if preload is not None:
            preload.discard()
        self._preload = Preload(index, self.set_list.songs[index], self.adjust, self.silent)
        return self._preload

    def _take(self, index: int) -> Prepared | None:
        preload = self._start_loading(index)
        preload.stop_warming()
        self._preload = None
        entry = self.set_list.songs[index]
        if preload.result is None:
            reason = preload.failed or "not loaded"
            self.skipped[index] = reason
            log.error("song %s skipped: %s; the set goes on", entry.name, reason)
            return None
        return preload.result

    # -- the parts -----------------------------------------------------------------------

    def _wait_in_interlude(self, upcoming: int | None) -> int | None:
        """The interlude until a song is picked (or starts by its pause) and has loaded;
        the song's index, or None when the performer quits."""
        songs = self.set_list.songs
        wanted: int | None = None
        if upcoming is not None:
            self._start_loading(upcoming)
        started = self.wall()
        control = self.control
        clock = control.play_part(
            self.interlude.show, self.interlude.renderer.params, WallClock(self.wall)
        )

        first = True  # the switch's own frame: it builds nothing

        def tick() -> bool:
            nonlocal wanted, first
            while control.song_requests:
                picked = self._resolve(control.song_requests.popleft(), upcoming)
                if picked is not None:
                    wanted = picked
                    self._start_loading(picked)
            if wanted is None and upcoming is not None:
                pause = songs[upcoming].pause
                if pause is not None and self.wall() - started >= pause:
                    wanted = upcoming
            preload = self._preload
            if wanted is not None and preload is not None and preload.ready:
                return True  # now, with no piece of work in this frame; a pick made during
                # a song comes straight here
            if preload is not None and not first:
                preload.build_step(self.window.ctx, self.window.ctx.screen)  # a piece a frame
            first = False
            if not self._in_interlude:  # the interlude shows a frame: say so, once
                log.info("song -> interlude")
                self._in_interlude = True
            control.notes = self._notes(upcoming, wanted)
            return False

        self.frames += run(
            self.window,
            self.interlude,
            clock,
            self.wall,
            reload=False,
            control=control,
            frame_log=self.frame_log,
            loop=True,
            hud=self.hud,
            tick=tick,
            first_frame=self.frames,
            outputs=self.outputs,
        )
        return None if self.window.quit_requested else wanted

    def _play_song(
        self,
        prepared: Prepared,
        daw: tuple[Clock, Callable[[], int | None], int | None] | None = None,
    ) -> None:
        """Play one song to its end (or a pick). With `daw` (the DAW's clock, where its
        playhead is, the song after it) the song follows the DAW's timeline from its
        daw_start and ends when the playhead leaves it."""
        entry = self.set_list.songs[prepared.index]
        show = prepared.show
        self.current = prepared.index
        renderer: Renderer | None = None
        try:
            renderer = prepared.renderer or Renderer(
                self.window.ctx, show.scenes, show.character, transitions=show.transitions
            )
            player = prepared.player
            control = self.control
            source: Clock = player if player is not None else WallClock(self.wall)
            if daw is not None:
                source = OffsetClock(daw[0], -(entry.daw_start or 0.0))
            clock = control.play_part(show, renderer.params, source)
            log.info("song -> %s", entry.name)
            self._in_interlude = False
            following = self._next_after(prepared.index) if daw is None else daw[2]
            control.notes = self._notes(following, None, playing=True)
            if player is not None:
                player.resume()
            started = self.wall()
            pick: list[PickSong] = []  # a song picked while this one plays
            ended: Callable[[], bool] = (
                (lambda: self._picked_during_song(following, pick))
                if daw is None
                else (lambda: daw[1]() != prepared.index)
            )

            def tick() -> bool:
                # The next song loads while this one plays, from LOAD_AFTER on: not in the
                # first frames, which draw this song's scene for the first time.
                if not pick and following is not None and self.wall() - started >= LOAD_AFTER:
                    self._start_loading(following)
                return ended()

            self.frames += run(
                self.window,
                LiveShow(show, renderer, prepared.performance),
                clock,
                self.wall,
                exit_at_end=True,
                control=control,
                frame_log=self.frame_log,
                hud=self.hud,
                tick=tick,
                first_frame=self.frames,
                outputs=self.outputs,
            )
        except (InputError, DeviceError) as exc:  # its shaders do not compile, the sound died
            self.skipped[prepared.index] = str(exc)
            log.error("song %s stopped: %s; the set goes on", entry.name, exc)
        finally:
            if renderer is not None:
                renderer.release()
            if prepared.player is not None:
                prepared.player.close()

    def _picked_during_song(self, following: int | None, pick: list[PickSong]) -> bool:
        """A pick of a song in the set ends the one playing; one of no song is only a
        warning. A picked song already loaded (the next one, usually) has its renderer
        built a piece a frame while this one plays on, and the cut comes when it is ready;
        one still to load ends this song now and loads while the interlude shows. The pick
        is kept for the interlude's first look, which starts it."""
        while self.control.song_requests:
            request = self.control.song_requests.popleft()
            picked = self._resolve(request, following)
            if picked is not None:
                pick[:] = [PickSong(picked, request.source)]
        if not pick:
            return False
        index = pick[0].song
        assert isinstance(index, int)
        preload = self._start_loading(index)
        if preload.done and not preload.ready:
            preload.build_step(self.window.ctx, self.window.ctx.screen)
        if preload.done and not preload.ready:
            return False  # this song's next frame, with a piece more of the picked one's
        self.control.song_requests.appendleft(pick[0])
        return True

    def _notes(self, upcoming: int | None, wanted: int | None, playing: bool = False) -> list[str]:
        """The HUD's set lines: where the set is, what comes next, what was skipped."""
        songs = self.set_list.songs
        if self.current is None:
            now = "interlude"
        elif playing:
            now = f"song {self.current + 1}/{len(songs)}: {songs[self.current].name}"
        else:
            now = f"interlude after {songs[self.current].name}"
        if wanted is not None:
            nxt = f"starting {songs[wanted].name}..."
        elif upcoming is None:
            nxt = "end of the set"
        else:
            pause = songs[upcoming].pause
            how = f"by itself after {pause:g} s" if pause is not None else "N or /livesync/next"
            nxt = f"next: {songs[upcoming].name} ({how})"
        lines = [f"set: {now}   {nxt}"]
        lines += [f"! skipped {songs[i].name}: {why}" for i, why in self.skipped.items()]
        return lines


def play_set(
    set_list: SetList,
    adjust: Callable[[Show], Show],
    silent: bool = False,
    hud: bool = False,
    osc_host: str | None = None,
    osc_port: int | None = None,
    frame_log: TextIO | None = None,
    exit_at_end: bool = False,
    ndi: str | None = None,
    wall: Callable[[], float] = time.perf_counter,
) -> int:
    """Open the window and play the set until the performer quits; returns frames drawn.
    `adjust` applies the command line's overrides (size, fullscreen, offset) to each song."""
    from livesync.app.live import Overrides, start

    first = _first_show(set_list, adjust)
    daw = follows_daw(set_list, first)
    show = adjust(interlude_show(set_list, first, daw))
    window = Window(show.output.size, show.output.fullscreen, show.output.display)
    warm_driver(window.ctx)  # songs are built between frames: no frame pays for this
    control: LiveControl | None = None
    renderer: Renderer | None = None
    outputs: list[VideoOutput] = []
    room: tuple[MonoInput, LiveSound] | None = None
    try:
        if ndi is not None:
            from livesync.devices.ndi_out import NdiOutput

            outputs.append(NdiOutput(ndi, window.ctx, show.output.size, show.output.fps))
        renderer = Renderer(window.ctx, show.scenes, show.character)
        # OSC and MIDI as the first song's show sets them up, opened once for the set.
        control, _ = start(show, renderer.params, None, Overrides(osc_host, osc_port), wall)
        heads_up = Hud(window.ctx)
        heads_up.visible = hud
        performer = open_performer_window(window, show.output.performer)
        if performer is not None:
            outputs.append(performer)
            heads_up.elsewhere = performer.status
            heads_up.visible = True  # the performer's screen is for the HUD: on at start
        room = listen_to_room(set_list)
        heard = room[1] if room is not None else None
        interlude = LiveShow(show, renderer, interlude_performance(set_list.interlude_tempo, heard))
        player = SetPlayer(
            set_list,
            window,
            control,
            interlude,
            wall,
            adjust,
            silent or daw,  # following a DAW, the DAW plays the songs
            heads_up,
            frame_log,
            exit_at_end,
            outputs,
        )
        return player.play()
    finally:
        if room is not None:
            room[0].close()
        for output in outputs:
            output.close()
        if control is not None:
            control.close()
        if renderer is not None:
            renderer.release()
        window.close()


def _first_show(set_list: SetList, adjust: Callable[[Show], Show]) -> Show | None:
    """The first song whose show file reads, for the settings the whole set shares; each
    one that does not is reported now (it is reported again, and skipped, when its turn
    comes)."""
    first = None
    for entry in set_list.songs:
        try:
            show = adjust(load_show(entry.show))
        except InputError as exc:
            log.error("song %s cannot be played: %s; it will be skipped", entry.name, exc)
            continue
        first = first or show
    return first
