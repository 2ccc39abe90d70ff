"""The stdio transport of `hdfacts mcp`, in place of the SDK's own.

The SDK's transport drops what it cannot parse without a reply (the client then waits
forever for an answer to a line of bad JSON, or to a request holding a lone surrogate
such as "\\ud800", which pydantic's JSON parser refuses), and it ends with an exception
group when the client goes away with replies pending or stdout is closed. Here:

- every line is parsed with `json`: bad JSON gets JSON-RPC's -32700, JSON that is no
  JSON-RPC message -32600 (with the request's id where it has one); lone surrogates
  stand as U+FFFD, so such a request is answered like any other;
- stdin is read by a daemon thread, so a blocked read never keeps the process alive,
  and its end (the client closing the pipe) ends the server with exit 0, once the
  requests already sent are answered;
- replies are written off the event loop; a reader that has gone away (EPIPE) ends
  the server with exit 0, any other failure to write (a closed stdout, a full disk)
  with the one-line error and exit 74.
"""

from __future__ import annotations

import errno
import json
import sys
import threading
from typing import IO, Any

import anyio
import anyio.from_thread
import anyio.lowlevel
import anyio.to_thread
import mcp_types as types
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream
from mcp.shared.message import SessionMessage

from .errors import OutputError

DRAIN_SECONDS = (
    0.8  # at stdin's end, how long requests in flight may take to be answered (the end stays within 1 s)
)
_LINE_LIMIT = 4 << 20  # bytes of one message; a longer line is answered with -32600, not read whole


class ClientGone(Exception):
    """The client closed its end of stdout: nothing more can be said, and that is fine."""


def without_surrogates(value: Any) -> Any:
    """The parsed JSON with every lone surrogate of its strings (and keys) as U+FFFD."""
    if isinstance(value, str):
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if isinstance(value, list):
        return [without_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {without_surrogates(k): without_surrogates(v) for k, v in value.items()}
    return value


def _error(code: int, message: str, request_id: Any = None) -> SessionMessage:
    if isinstance(request_id, bool) or not isinstance(request_id, int | str):
        request_id = None
    error = types.ErrorData(code=code, message=message)
    return SessionMessage(types.JSONRPCError(jsonrpc="2.0", id=request_id, error=error))


def read_message(line: bytes) -> SessionMessage:
    """One line of input as the message it holds, or as the JSON-RPC error to reply with."""
    if len(line) > _LINE_LIMIT:
        return _error(types.INVALID_REQUEST, f"Invalid Request: a message of over {_LINE_LIMIT:,} bytes")
    try:
        data = without_surrogates(json.loads(line.decode("utf-8", "replace")))
    except ValueError:
        return _error(types.PARSE_ERROR, "Parse error: not valid JSON")
    try:
        message = types.jsonrpc_message_adapter.validate_python(data, by_name=False)
    except ValueError:
        request_id = data.get("id") if isinstance(data, dict) else None
        return _error(types.INVALID_REQUEST, "Invalid Request: not a JSON-RPC 2.0 message", request_id)
    return SessionMessage(message)


def _stdout() -> IO[bytes]:
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # closed when hdfacts started (`>&-`)
        raise OutputError("cannot write the output: standard output is closed")
    return buffer  # type: ignore[no-any-return]


def _write(out: IO[bytes], data: bytes) -> None:
    try:
        out.write(data)
        out.flush()
    except BrokenPipeError as e:
        raise ClientGone from e
    except OSError as e:
        if e.errno == errno.EPIPE:
            raise ClientGone from e
        raise OutputError(f"cannot write the output: {e.strerror or e}") from e
    except ValueError as e:  # a stream closed under us
        raise ClientGone from e


def _read_lines(
    source: IO[bytes], send: MemoryObjectSendStream[bytes | None], token: anyio.lowlevel.EventLoopToken
) -> None:
    """Runs in a daemon thread: every line of stdin to the loop, then None at its end."""
    try:
        while True:
            line = source.readline(_LINE_LIMIT + 1)
            if len(line) > _LINE_LIMIT:  # the rest of an endless line is skipped, not kept
                while line and not line.endswith(b"\n"):
                    line = source.readline(_LINE_LIMIT)
                line = b"x" * (_LINE_LIMIT + 1)
            anyio.from_thread.run(send.send, line or None, token=token)
            if not line:
                return
    except (OSError, ValueError):
        try:
            anyio.from_thread.run(send.send, None, token=token)
        except Exception:  # the loop has ended already
            pass
    except Exception:  # the loop has ended, and nobody is reading
        pass


async def _answered(pending: set[Any]) -> None:
    """Wait, DRAIN_SECONDS at most, until the requests already sent have their replies."""
    with anyio.move_on_after(DRAIN_SECONDS):
        while pending:
            await anyio.sleep(0.01)


async def serve_stdio(run: Any) -> None:
    """Serve `run(read_stream, write_stream)` (the SDK's server loop) on stdin and stdout;
    returns when the client has gone, raises OutputError when stdout cannot be written."""
    out = _stdout()
    source = sys.stdin.buffer
    lines_in, lines = anyio.create_memory_object_stream[bytes | None](16)
    to_server, from_client = anyio.create_memory_object_stream[SessionMessage | Exception](0)
    to_client, replies = anyio.create_memory_object_stream[SessionMessage](16)
    reader = threading.Thread(
        target=_read_lines, args=(source, lines_in, anyio.lowlevel.current_token()), daemon=True
    )

    pending: set[Any] = set()  # ids of the requests not answered yet

    async def parse(errors: MemoryObjectSendStream[SessionMessage]) -> None:
        async with to_server, errors, lines:
            async for line in lines:
                if line is None:
                    # the client closed stdin: the requests it sent are answered first (a
                    # batch piped in, `printf ... | hdfacts mcp`, gets every reply), then the
                    # server loop ends, and we with it
                    await _answered(pending)
                    return
                if not line.strip():
                    continue
                message = read_message(line)
                if isinstance(message.message, types.JSONRPCError):
                    await errors.send(message)
                else:
                    if isinstance(message.message, types.JSONRPCRequest):
                        pending.add(message.message.id)
                    await to_server.send(message)

    done = anyio.Event()

    async def write(stream: MemoryObjectReceiveStream[SessionMessage]) -> None:
        try:
            async with stream:
                async for message in stream:
                    data = message.message.model_dump_json(by_alias=True, exclude_unset=True) + "\n"
                    await anyio.to_thread.run_sync(_write, out, data.encode("utf-8"), abandon_on_cancel=True)
                    if isinstance(message.message, types.JSONRPCResponse | types.JSONRPCError):
                        pending.discard(message.message.id)
        finally:
            done.set()

    try:
        async with anyio.create_task_group() as tg:
            reader.start()
            tg.start_soon(parse, to_client.clone())
            tg.start_soon(write, replies)
            await run(from_client, to_client)
            to_client.close()  # the replies still queued are written, then the writer ends
            await done.wait()
            tg.cancel_scope.cancel()
    except* ClientGone:
        pass  # the client went away: the end of the conversation, not an error
    except* OutputError as group:
        raise group.exceptions[0] from None
