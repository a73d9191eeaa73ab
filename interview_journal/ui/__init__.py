"""The Qt user interface: adapters and widgets over the core Journal."""
