"""File-system access through Hadoop's FileSystem API: s3:// in Glue, file:// (or plain paths) locally."""

from __future__ import annotations

from datetime import date

from pyspark.sql import SparkSession


class HadoopFs:
    """The few file operations the pipeline needs: list, read/write small text, delete, rename."""

    def __init__(self, spark: SparkSession) -> None:
        self._jvm = spark.sparkContext._jvm
        self._conf = spark.sparkContext._jsc.hadoopConfiguration()
        # Resolved once: py4j resolves each part of a dotted name with a class lookup that scans
        # every jar on the classpath when it misses (org, org.apache, ...).
        self._path_class = self._jvm.org.apache.hadoop.fs.Path

    def _path(self, path: str):
        p = self._path_class(path)
        return p, p.getFileSystem(self._conf)

    def exists(self, path: str) -> bool:
        p, fs = self._path(path)
        return fs.exists(p)

    def list_files(self, root: str) -> list[str]:
        """Every file under root, recursively, as fully qualified URIs; [] when root is missing."""
        p, fs = self._path(root)
        if not fs.exists(p):
            return []
        found = []
        files = fs.listFiles(p, True)
        while files.hasNext():
            found.append(files.next().getPath().toString())
        return found

    def list_dirs(self, root: str) -> list[str]:
        """The folders directly under root, as fully qualified URIs; [] when root is missing."""
        p, fs = self._path(root)
        if not fs.exists(p):
            return []
        return [s.getPath().toString() for s in fs.listStatus(p) if s.isDirectory()]

    def read_text(self, path: str) -> str:
        p, fs = self._path(path)
        stream = fs.open(p)
        try:
            return self._jvm.org.apache.commons.io.IOUtils.toString(stream, "UTF-8")
        finally:
            stream.close()

    def read_bytes(self, path: str) -> bytes:
        p, fs = self._path(path)
        stream = fs.open(p)
        try:
            return bytes(self._jvm.org.apache.commons.io.IOUtils.toByteArray(stream))
        finally:
            stream.close()

    def write_bytes(self, path: str, data: bytes) -> None:
        p, fs = self._path(path)
        stream = fs.create(p, True)
        try:
            stream.write(bytearray(data))
        finally:
            stream.close()

    def write_text(self, path: str, text: str) -> None:
        p, fs = self._path(path)
        stream = fs.create(p, True)
        try:
            stream.write(bytearray(text.encode("utf-8")))
        finally:
            stream.close()

    def delete(self, path: str) -> None:
        p, fs = self._path(path)
        fs.delete(p, True)

    def replace_dir(self, source: str, target: str) -> None:
        """Moves folder source to target, replacing target. (On S3 a rename is a copy: not atomic.)"""
        src, fs = self._path(source)
        dst, _ = self._path(target)
        fs.delete(dst, True)
        fs.mkdirs(dst.getParent())
        if not fs.rename(src, dst):
            raise OSError(f"could not move {source} to {target}")


def partition_folders(fs: HadoopFs, root: str, partition: str) -> dict[date, str]:
    """The `<partition>=<day>` folders directly under root, by day; other folders (_staging) are skipped."""
    folders = {}
    for folder in fs.list_dirs(root):
        key, _, value = folder.rstrip("/").rsplit("/", 1)[-1].partition("=")
        if key == partition:
            folders[date.fromisoformat(value)] = folder
    return folders
